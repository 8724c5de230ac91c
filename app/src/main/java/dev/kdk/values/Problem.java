package dev.kdk.values;

/**
 * One thing wrong with the values, printed as {@code FILE:LINE:COL: path: message}.
 *
 * @param location where the offending value (or its key) was written; null if nowhere (a required key is missing)
 * @param path     dotted values path, e.g. {@code clusters.testing1.email}; empty for a whole file
 * @param message  what is wrong and how to fix it; never the content of a Secret
 */
public record Problem(Location location, String path, String message) {
    @Override
    public String toString() {
        String where = location == null ? "(values)" : location.toString();
        return where + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
