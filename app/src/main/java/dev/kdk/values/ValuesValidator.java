package dev.kdk.values;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Checks merged values against the defaults (which define every known key and its type) and kdk's rules, and
 * collects every problem before reporting, as kind's config validation does.
 */
public final class ValuesValidator {
    /** Longest StatefulSet name: pods carry a controller-revision-hash label of NAME plus 11 characters, max 63. */
    public static final int MAX_STATEFULSET_NAME = 52;

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    // One line, no spaces or quotes: the address is written into RBAC subjects, annotations and certificates.
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    // Kubernetes resource.Quantity: a signed decimal with an optional binary/decimal suffix or exponent.
    static final Pattern QUANTITY = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?[0-9]+)?");
    static final Pattern IMAGE = Pattern.compile("[a-z0-9]+([._/:@-][A-Za-z0-9_.-]+)*(:[A-Za-z0-9_.-]+)?(@sha256:[0-9a-f]{64})?");

    /** Free-form maps and lists: any keys, checked only for their shape. */
    static final Map<String, String> FREE_FORM = Map.of(
            "nodeSelector", "map of strings", "podAnnotations", "map of strings",
            "affinity", "map", "tolerations", "list of maps",
            "resources.requests", "map of quantities", "resources.limits", "map of quantities");
    /** Element type of lists whose default is empty. */
    static final Map<String, Object> LIST_ELEMENTS = Map.of("preloadImages", "");

    private final Map<String, Object> defaults;
    private final Set<Problem> problems = new LinkedHashSet<>();
    private ValuesTree tree;

    /** @param defaults the parsed {@code values/values.yaml}: every known key, with the type of its default */
    public ValuesValidator(Map<String, Object> defaults) {
        this.defaults = defaults;
    }

    /**
     * Returns every problem in {@code tree} (the merged values) and {@code release}, ordered by file and line;
     * empty if the values are valid.
     */
    public List<Problem> validate(ValuesTree tree, String release) {
        this.tree = tree;
        problems.clear();
        Map<String, Object> root = tree.root();
        if (release == null || !DNS_LABEL.matcher(release).matches() || release.length() > 30) {
            problems.add(new Problem(new Location("--release", 0, 0), "",
                    "release name `" + release + "` must be a DNS-1123 label of at most 30 characters"
                            + " (lower-case letters, digits and `-`)"));
        }
        Map<String, Object> globals = new HashMap<>(defaults);
        globals.remove("clusters");
        for (Map.Entry<String, Object> e : root.entrySet()) {
            if (!e.getKey().equals("clusters")) {
                checkKey(e.getKey(), e.getValue(), globals, "", "");
            }
        }
        missing(defaults, root, "");
        Object clusters = root.get("clusters");
        if (clusters != null && !(clusters instanceof Map)) {
            add("clusters", "expected a map of cluster names to settings, got " + describe(clusters));
        } else if (clusters instanceof Map<?, ?> map) {
            checkClusters(map, release, globals);
        }
        crossChecks(root, "");
        List<Problem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing((Problem p) -> p.location() == null ? "" : p.location().source())
                .thenComparingInt(p -> p.location() == null ? 0 : p.location().line())
                .thenComparingInt(p -> p.location() == null ? 0 : p.location().column()));
        return sorted;
    }

    @SuppressWarnings("unchecked")
    private void checkClusters(Map<?, ?> clusters, String release, Map<String, Object> globals) {
        Map<String, String> emails = new HashMap<>();
        for (Map.Entry<?, ?> e : clusters.entrySet()) {
            String name = (String) e.getKey();
            String path = ValuesTree.child("clusters", name);
            if (!DNS_LABEL.matcher(name).matches() || name.length() > 63) {
                add(path, "cluster name `" + name + "` must be a DNS-1123 label: lower-case letters, digits and `-`,"
                        + " starting and ending with a letter or digit");
            } else if (release != null && release.length() + 1 + name.length() > MAX_STATEFULSET_NAME) {
                add(path, "cluster name `" + name + "` makes StatefulSet `" + release + "-" + name + "` "
                        + (release.length() + 1 + name.length()) + " characters long; the limit is "
                        + MAX_STATEFULSET_NAME + " (Kubernetes adds a revision hash to pod labels): use a shorter name");
            }
            if (!(e.getValue() instanceof Map<?, ?> entry)) {
                add(path, "expected a map with at least `email:`, got " + describe(e.getValue()));
                continue;
            }
            Map<String, Object> known = new HashMap<>(globals);
            known.put("email", "");
            for (Map.Entry<String, Object> s : ((Map<String, Object>) entry).entrySet()) {
                checkKey(s.getKey(), s.getValue(), known, path, "");
            }
            Object email = entry.get("email");
            String emailPath = path + ".email";
            if (email == null) {
                add(path, "missing `email:` (the owner of the cluster, such as " + name + "@example.org)");
            } else if (email instanceof String s && EMAIL.matcher(s).matches()) {
                String first = emails.putIfAbsent(s.toLowerCase(Locale.ROOT), name);
                if (first != null) {
                    add(emailPath, "email " + s + " already owns cluster `" + first
                            + "`: each developer owns one cluster, give each a distinct email");
                }
            }
            crossChecks(effective(tree.root(), (Map<String, Object>) entry), path);
        }
    }

    /** The release-wide values with one cluster entry's overrides merged in (the cluster's effective values). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> effective(Map<String, Object> root, Map<String, Object> entry) {
        Map<String, Object> globals = (Map<String, Object>) ValuesTree.deepCopy(root);
        globals.remove("clusters");
        Map<String, Object> overrides = (Map<String, Object>) ValuesTree.deepCopy(entry);
        overrides.remove("email");
        ValuesTree base = new ValuesTree(globals, Map.of());
        Coalesce.into(base, new ValuesTree(overrides, Map.of()));
        return base.root();
    }

    /** Checks one key of a map: known (with a did-you-mean), right type, right value. */
    @SuppressWarnings("unchecked")
    private void checkKey(String key, Object value, Map<String, Object> known, String path, String schemaParent) {
        String childPath = ValuesTree.child(path, key);
        String schemaPath = schemaParent.isEmpty() ? key : schemaParent + "." + key;
        if (!known.containsKey(key)) {
            add(childPath, "unknown key" + suggestion(key, known.keySet().stream().toList())
                    + "; see values/values.yaml for every key");
            return;
        }
        if (value == null) {
            return; // a null that survives merging deletes nothing; missing() reports required keys
        }
        check(value, known.get(key), childPath, schemaPath);
    }

    @SuppressWarnings("unchecked")
    private void check(Object value, Object def, String path, String schemaPath) {
        String free = FREE_FORM.get(schemaPath);
        if (free != null) {
            checkFreeForm(value, free, path);
            return;
        }
        if (def instanceof Map<?, ?> defMap) {
            if (!(value instanceof Map<?, ?> map)) {
                add(path, "expected a map, got " + describe(value));
                return;
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                checkKey(e.getKey(), e.getValue(), (Map<String, Object>) defMap, path, schemaPath);
            }
            return;
        }
        if (def instanceof List<?> defList) {
            if (!(value instanceof List<?> list)) {
                add(path, "expected a list, got " + describe(value));
                return;
            }
            Object element = defList.isEmpty() ? LIST_ELEMENTS.get(schemaPath) : defList.get(0);
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) == null) {
                    add(ValuesTree.index(path, i), "empty list item: remove it or give it a value");
                } else if (element != null) {
                    check(list.get(i), element, ValuesTree.index(path, i), schemaPath + "[]");
                }
            }
            return;
        }
        if (def instanceof String) {
            if (!(value instanceof String s)) {
                add(path, "expected a string, got " + describe(value) + ": quote it");
                return;
            }
            checkString(s, path, schemaPath);
            return;
        }
        if (def instanceof Boolean && !(value instanceof Boolean)) {
            add(path, "expected true or false, got " + describe(value));
            return;
        }
        if ((def instanceof Integer || def instanceof Long) && !(value instanceof Integer || value instanceof Long)) {
            add(path, "expected a whole number, got " + describe(value));
            return;
        }
        if (value instanceof Number n) {
            checkNumber(n.longValue(), path, schemaPath);
        }
    }

    private void checkFreeForm(Object value, String shape, String path) {
        switch (shape) {
            case "map", "map of strings", "map of quantities" -> {
                if (!(value instanceof Map<?, ?> map)) {
                    add(path, "expected a " + shape + ", got " + describe(value));
                    return;
                }
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String p = ValuesTree.child(path, (String) e.getKey());
                    if (shape.equals("map of strings") && !(e.getValue() instanceof String)) {
                        add(p, "expected a string, got " + describe(e.getValue()) + ": quote it");
                    } else if (shape.equals("map of quantities")) {
                        checkQuantity(e.getValue(), p);
                    }
                }
            }
            case "list of maps" -> {
                if (!(value instanceof List<?> list)) {
                    add(path, "expected a list, got " + describe(value));
                    return;
                }
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof Map)) {
                        add(ValuesTree.index(path, i), "expected a map, got " + describe(list.get(i)));
                    }
                }
            }
            default -> throw new IllegalStateException(shape);
        }
    }

    private void checkQuantity(Object value, String path) {
        String text = value instanceof Integer || value instanceof Long ? value.toString()
                : value instanceof String s ? s : null;
        if (text == null || !QUANTITY.matcher(text).matches()) {
            add(path, (text == null ? describe(value) : "`" + printable(text) + "`")
                    + " is not a Kubernetes quantity, such as 500m, 2, 512Mi or 8Gi");
        }
    }

    private void checkString(String s, String path, String schemaPath) {
        switch (schemaPath) {
            case "kind.podSubnet", "kind.serviceSubnet", "docker.addressPools[].base" -> {
                Cidr c = cidr(s, path);
                if (c != null && c.hostBits()) {
                    add(path, "`" + s + "` has host bits set: did you mean " + c.network() + "?");
                }
            }
            case "docker.bip" -> cidr(s, path);
            case "persistence.size" -> checkQuantity(s, path);
            case "image.repository", "preloadImages[]", "kind.nodeImage" -> {
                if (!IMAGE.matcher(s).matches()) {
                    add(path, "`" + printable(s) + "` is not an image reference, such as registry.example.org/team/app:1.0");
                } else if (schemaPath.equals("kind.nodeImage") && !s.contains("@sha256:")) {
                    add(path, "pin the node image by digest, such as kindest/node:v1.33.1@sha256:<64 hex digits>,"
                            + " so every developer runs the same Kubernetes");
                }
            }
            case "image.tag" -> {
                if (!s.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
                    add(path, "`" + printable(s) + "` is not an image tag (letters, digits, `_`, `.`, `-`)");
                }
            }
            case "image.pullPolicy" -> {
                if (!List.of("Always", "IfNotPresent", "Never").contains(s)) {
                    add(path, "`" + printable(s) + "` must be Always, IfNotPresent or Never");
                }
            }
            case "priorityClassName", "persistence.storageClassName" -> {
                if (!s.isEmpty() && !DNS_SUBDOMAIN.matcher(s).matches()) {
                    add(path, "`" + printable(s) + "` is not a valid Kubernetes object name");
                }
            }
            case "email" -> {
                if (!EMAIL.matcher(s).matches()) {
                    add(path, "`" + printable(s) + "` is not an email address (one line, such as dev@example.org)");
                }
            }
            case "docker.host" -> {
                if (!s.isEmpty() && !s.matches("(tcp|unix|ssh)://[^\\s]+")) {
                    add(path, "`" + printable(s) + "` must be empty or a DOCKER_HOST URL: tcp://HOST:PORT, unix:///PATH"
                            + " or ssh://USER@HOST");
                }
            }
            default -> {
                if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                    add(path, "must be a single line");
                }
            }
        }
    }

    private static final Map<String, long[]> RANGES = Map.ofEntries(
            Map.entry("kind.apiServerPort", new long[] {1024, 65535}),
            Map.entry("kind.workers", new long[] {0, 10}),
            Map.entry("kind.createTimeoutSeconds", new long[] {30, 86_400}),
            Map.entry("docker.mtu", new long[] {576, 9000}),
            Map.entry("docker.addressPools[].size", new long[] {8, 30}),
            Map.entry("terminationGracePeriodSeconds", new long[] {0, 3600}),
            Map.entry("pki.caValidityDays", new long[] {1, 36_500}),
            Map.entry("pki.clientCertValidityDays", new long[] {1, 36_500}),
            Map.entry("pki.renewBeforeDays", new long[] {0, 36_500}));

    private void checkNumber(long n, String path, String schemaPath) {
        long[] range = RANGES.get(schemaPath);
        if (range != null && (n < range[0] || n > range[1])) {
            add(path, n + " is out of range: use " + range[0] + " to " + range[1]);
        }
    }

    /** Rules across keys, on one cluster's effective values ({@code clusterPath} "" for the release-wide ones). */
    @SuppressWarnings("unchecked")
    private void crossChecks(Map<String, Object> values, String clusterPath) {
        Map<String, Cidr> ranges = new java.util.LinkedHashMap<>();
        Function<String, Object> get = p -> at(values, p);
        for (String p : List.of("kind.podSubnet", "kind.serviceSubnet", "docker.bip")) {
            if (get.apply(p) instanceof String s) {
                tryCidr(s).ifPresent(c -> ranges.put(p, c));
            }
        }
        if (get.apply("docker.addressPools") instanceof List<?> pools) {
            for (int i = 0; i < pools.size(); i++) {
                if (pools.get(i) instanceof Map<?, ?> pool && pool.get("base") instanceof String s) {
                    int index = i;
                    tryCidr(s).ifPresent(c -> ranges.put("docker.addressPools[" + index + "].base", c));
                }
            }
        }
        List<String> keys = new ArrayList<>(ranges.keySet());
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i + 1; j < keys.size(); j++) {
                Cidr a = ranges.get(keys.get(i));
                Cidr b = ranges.get(keys.get(j));
                if (a.overlaps(b)) {
                    String at = where(clusterPath, keys.get(j), keys.get(i));
                    boolean first = at.endsWith(keys.get(i));
                    String mine = first ? keys.get(i) : keys.get(j);
                    String other = first ? keys.get(j) : keys.get(i);
                    add(at, ranges.get(mine).text() + " overlaps " + other + " " + ranges.get(other).text()
                            + ": the ranges inside a kdk pod must not overlap; pick a free range");
                }
            }
        }
        for (String resource : List.of("cpu", "memory")) {
            Object req = get.apply("resources.requests." + resource);
            Object lim = get.apply("resources.limits." + resource);
            BigDecimal r = quantity(req);
            BigDecimal l = quantity(lim);
            if (r != null && l != null && r.compareTo(l) > 0) {
                add(where(clusterPath, "resources.requests." + resource, "resources.limits." + resource), "request " + req + " is more than the limit "
                        + lim + ": raise the limit or lower the request");
            }
        }
        if (get.apply("pki.clientCertValidityDays") instanceof Number client
                && get.apply("pki.caValidityDays") instanceof Number ca && client.longValue() > ca.longValue()) {
            add(where(clusterPath, "pki.clientCertValidityDays", "pki.caValidityDays"), "the client certificate cannot outlive its CA ("
                    + ca + " days): lower it");
        }
        if (get.apply("pki.renewBeforeDays") instanceof Number renew
                && get.apply("pki.clientCertValidityDays") instanceof Number client
                && renew.longValue() >= client.longValue()) {
            add(where(clusterPath, "pki.renewBeforeDays", "pki.clientCertValidityDays"), "must be less than pki.clientCertValidityDays (" + client
                    + "), or every install would re-issue the certificate");
        }
    }

    /**
     * The path to report a problem that involves {@code paths}: the first one the cluster overrides (so the message
     * points at the cluster's own setting), else the first path, release-wide. Problems that do not depend on a
     * cluster's overrides thus come out identical for every cluster and are reported once.
     */
    private String where(String clusterPath, String... paths) {
        if (!clusterPath.isEmpty()) {
            for (String path : paths) {
                if (overrides(clusterPath, path)) {
                    return clusterPath + "." + path;
                }
            }
        }
        return paths[0];
    }

    /** True if the cluster entry sets {@code path} itself, or replaces a list that holds it. */
    private boolean overrides(String clusterPath, String path) {
        for (String p = path; !p.isEmpty(); p = ValuesTree.parent(p)) {
            Object v = at(tree.root(), clusterPath + "." + p.replaceAll("\\[\\d+]", ""));
            if (v != null && (p.equals(path) || !(v instanceof Map))) {
                return true;
            }
        }
        return false;
    }

    /** Default keys (outside free-form maps) that a {@code null} deleted and that kdk needs. */
    @SuppressWarnings("unchecked")
    private void missing(Map<String, Object> def, Map<String, Object> actual, String path) {
        for (Map.Entry<String, Object> e : def.entrySet()) {
            String p = ValuesTree.child(path, e.getKey());
            if (p.equals("clusters") || FREE_FORM.containsKey(p)) {
                continue;
            }
            Object v = actual.get(e.getKey());
            if (v == null) {
                add(p, "is required (a `null` deleted it): set a value instead; the default is in values/values.yaml");
            } else if (e.getValue() instanceof Map<?, ?> m && v instanceof Map<?, ?> a) {
                missing((Map<String, Object>) m, (Map<String, Object>) a, p);
            }
        }
    }

    private Cidr cidr(String s, String path) {
        try {
            return Cidr.parse(s);
        } catch (IllegalArgumentException e) {
            add(path, e.getMessage());
            return null;
        }
    }

    private static java.util.Optional<Cidr> tryCidr(String s) {
        try {
            return java.util.Optional.of(Cidr.parse(s));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    /** A quantity as a number of base units (cores, bytes), or null if it is not one. */
    static BigDecimal quantity(Object q) {
        String s = q instanceof Integer || q instanceof Long ? q.toString() : q instanceof String str ? str : null;
        if (s == null || !QUANTITY.matcher(s).matches()) {
            return null;
        }
        return io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(s));
    }

    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> root, String dotted) {
        Object node = root;
        for (String part : dotted.split("\\.")) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = ((Map<String, Object>) m).get(part);
        }
        return node;
    }

    private void add(String path, String message) {
        problems.add(new Problem(tree.origin(path), path, message));
    }

    private static String suggestion(String key, List<String> candidates) {
        LevenshteinDistance distance = new LevenshteinDistance(3);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance.apply(key.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d >= 0 && d < bestScore) {
                best = c;
                bestScore = d;
            }
        }
        return best == null ? "" : " (did you mean `" + best + "`?)";
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Boolean) {
            return "a boolean (" + value + ")";
        }
        if (value instanceof Number) {
            return "a number (" + value + ")";
        }
        if (value instanceof String s) {
            return "a string (\"" + printable(s) + "\")";
        }
        return "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + ": quote it";
    }

    /** {@code s} shortened and with line breaks shown as {@code \n}, fit for a one-line message. */
    static String printable(String s) {
        String one = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return one.length() > 80 ? one.substring(0, 77) + "..." : one;
    }
}
