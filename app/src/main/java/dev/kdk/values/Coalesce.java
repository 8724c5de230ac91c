package dev.kdk.values;

import java.util.Map;

/**
 * Helm's rule for layering values: maps merge key by key, scalars and lists replace, and an explicit
 * {@code null} deletes the key. Later layers win.
 */
public final class Coalesce {
    private Coalesce() {
    }

    /**
     * Merges {@code overlay} into {@code base}, changing {@code base} (and its origins) in place; {@code overlay}
     * is not changed, and nothing of it is shared with {@code base} afterwards.
     */
    public static void into(ValuesTree base, ValuesTree overlay) {
        merge(base, base.root(), overlay, overlay.root(), "");
    }

    @SuppressWarnings("unchecked")
    private static void merge(ValuesTree base, Map<String, Object> into, ValuesTree overlay, Map<String, Object> from,
                              String path) {
        for (Map.Entry<String, Object> e : from.entrySet()) {
            String key = e.getKey();
            String childPath = ValuesTree.child(path, key);
            Object value = e.getValue();
            Object existing = into.get(key);
            if (value == null) {
                into.remove(key);
                forget(base, childPath);
                // Remember where the deletion was written, for messages about a key that is now missing.
                base.origins().put(childPath, overlay.origin(childPath));
            } else if (value instanceof Map<?, ?> m && existing instanceof Map<?, ?> em) {
                base.origins().put(childPath, overlay.origin(childPath));
                merge(base, (Map<String, Object>) em, overlay, (Map<String, Object>) m, childPath);
            } else {
                if (existing != null) {
                    forget(base, childPath);
                }
                into.put(key, ValuesTree.deepCopy(value));
                copyOrigins(base, overlay, childPath);
            }
        }
    }

    /** Drops the origins of {@code path} and everything below it. */
    static void forget(ValuesTree tree, String path) {
        tree.originsUnder(path).keySet().removeIf(p -> below(p, path));
    }

    private static void copyOrigins(ValuesTree base, ValuesTree overlay, String path) {
        overlay.originsUnder(path).forEach((p, l) -> {
            if (below(p, path)) {
                base.origins().put(p, l);
            }
        });
    }

    /** True if {@code p} is {@code path} or a path below it. */
    static boolean below(String p, String path) {
        return p.length() == path.length() || p.charAt(path.length()) == '.' || p.charAt(path.length()) == '[';
    }
}
