package dev.kdk.values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A values document: nested {@code Map<String,Object>} / {@code List<Object>} / scalars (String, Integer, Long,
 * Double, Boolean, null), plus where each path was written. Paths look like {@code docker.addressPools[0].base};
 * a key containing a dot is written {@code nodeSelector["kubernetes.io/os"]}.
 */
public final class ValuesTree {
    private final Map<String, Object> root;
    private final NavigableMap<String, Location> origins;

    public ValuesTree(Map<String, Object> root, Map<String, Location> origins) {
        this.root = root;
        this.origins = new TreeMap<>(origins);
    }

    public static ValuesTree empty() {
        return new ValuesTree(new LinkedHashMap<>(), Map.of());
    }

    /** The values; owned by this tree (copy before changing it elsewhere). */
    public Map<String, Object> root() {
        return root;
    }

    /** Where {@code path} was last written, or the nearest ancestor's location, or null. */
    public Location origin(String path) {
        String p = path;
        while (true) {
            Location l = origins.get(p);
            if (l != null || p.isEmpty()) {
                return l;
            }
            p = parent(p);
        }
    }

    NavigableMap<String, Location> origins() {
        return origins;
    }

    /** The origins of {@code path} and of every path below it (a live view). */
    NavigableMap<String, Location> originsUnder(String path) {
        return origins.subMap(path, true, path + Character.MAX_VALUE, false);
    }

    /** {@code parent} joined with map key {@code key}. */
    public static String child(String parent, String key) {
        String k = key.contains(".") || key.contains("[") ? "[\"" + key + "\"]" : key;
        if (parent.isEmpty() || k.startsWith("[")) {
            return parent + k;
        }
        return parent + "." + k;
    }

    /** {@code parent} joined with list index {@code index}. */
    public static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The path one level up: {@code a.b[0]} -> {@code a.b}, {@code a["x.y"]} -> {@code a}, {@code a} -> "". */
    static String parent(String path) {
        int lastStart = 0;
        boolean quoted = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '.' || c == '[')) {
                lastStart = i;
            }
        }
        return path.substring(0, lastStart);
    }

    /** A deep copy of a values node (maps and lists copied, scalars shared). */
    @SuppressWarnings("unchecked")
    public static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (node instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(deepCopy(v)));
            return copy;
        }
        return node;
    }
}
