package dev.kdk.values;

/**
 * Where a value came from: a file (or {@code -} for stdin, or {@code --set[N]} for the N-th --set flag)
 * and a 1-based line and column. Printed as {@code FILE:LINE:COL}, or {@code FILE} when line is 0
 * (the whole file).
 */
public record Location(String source, int line, int column) {
    @Override
    public String toString() {
        return line <= 0 ? source : source + ":" + line + ":" + column;
    }
}
