package dev.kdk.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The parse-back check ({@link ManifestParser}), shared between clusters.
 *
 * <p>Every cluster's documents are still rendered in full. What is shared is the proof that a document parses
 * into the typed model: two clusters with the same values render documents that differ only in each cluster's own
 * strings (its name, {@code RELEASE-NAME}, the owner's email, its certificates in base64). A document is reduced to
 * its <em>shape</em> by replacing those strings with placeholders; a document whose shape equals that of a document
 * that parsed cleanly has the same YAML structure, so it is not parsed again and its typed object is made on first
 * use ({@link Manifest#object()}).
 *
 * <p>The reduction is exact: the placeholders are control characters, which no document that parses holds, and a
 * document that matches a shape must have exactly the length the shape's placeholder counts give it, so none of its
 * placeholders can stand for such a character instead of a string (every replaced string has at least two
 * characters). A shape is shared only when nothing in it can depend on the strings replaced:
 * <ul>
 *   <li>each replaced string is inert in YAML: it starts with a letter or digit, holds only letters, digits and
 *       {@code . _ @ + / = -} (no quote, colon, space, comment or flow character), and reads as a string on its own,
 *       not as a number, boolean, null or date;</li>
 *   <li>the document that proved the shape has no mapping key and no kind containing one of its strings, so no
 *       key can be added, duplicated or misspelt by another cluster's string.</li>
 * </ul>
 * Any other document is parsed in full.
 */
final class SharedParseBack {
    /**
     * The first placeholder; the string at index i of {@link #clusterStrings} becomes {@code FIRST + i}. Control
     * characters YAML does not allow in a document, so no document that parses holds one (and text stays Latin-1).
     */
    private static final char FIRST = '\u000E'; // to U+001D: clear of tab, line feed and carriage return
    private static final int MAX_STRINGS = 16;
    /** Shapes kept; past this many (clusters that all differ) documents are simply parsed. */
    private static final int MAX_SHAPES = 512;
    private static final Resolver RESOLVER = new Resolver();

    /** Shape of a document that parsed cleanly -> its kind and how often each placeholder occurs in it. */
    private final Map<String, Proven> shapes = new ConcurrentHashMap<>();

    private record Proven(String kind, int[] counts) {
    }

    /**
     * One cluster's own strings, in a fixed order (name, then the rest as the renderer lists them); a string that is
     * not inert, or shorter than two characters, is left as null, and is then not replaced.
     */
    static List<String> clusterStrings(List<String> strings) {
        if (strings.size() > MAX_STRINGS) {
            throw new IllegalArgumentException("at most " + MAX_STRINGS + " strings");
        }
        List<String> out = new ArrayList<>(strings.size());
        for (String s : strings) {
            out.add(s != null && s.length() >= 2 && isInert(s) && RESOLVER.resolve(NodeId.scalar, s, true).equals(Tag.STR) ? s : null);
        }
        return out;
    }

    /** Starts with a letter or digit and holds only letters, digits and {@code . _ @ + / = -}. */
    private static boolean isInert(String s) {
        if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '@' || c == '+' || c == '/' || c == '=' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The manifest for one rendered document, parsed in full unless a document of the same shape already was.
     *
     * @param strings the cluster's strings from {@link #clusterStrings}
     * @throws TemplateException as {@link ManifestParser#parse}
     */
    Manifest manifest(String cluster, String template, String source, String doc, List<String> strings) {
        String shape = shape(doc, strings);
        Proven proven = shapes.get(shape);
        if (proven != null && doc.length() == expectedLength(shape, proven.counts(), strings)) {
            return new Manifest(cluster, template, source, doc, proven.kind(), null);
        }
        ManifestParser.Parsed parsed = ManifestParser.parseTree(source, doc);
        String kind = parsed.object().getKind();
        if (shapes.size() < MAX_SHAPES && !containsAny(kind, strings) && !anyKeyContains(parsed.tree(), strings)) {
            shapes.putIfAbsent(shape, new Proven(kind, counts(shape, strings.size())));
        }
        return new Manifest(cluster, template, source, doc, kind, parsed.object());
    }

    /**
     * {@code doc} with the cluster's strings replaced by placeholders, longest string first. Each step is undone by
     * replacing its placeholder back, so documents with the same shape are the same text but for those strings.
     */
    static String shape(String doc, List<String> strings) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            if (strings.get(i) != null) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt((Integer i) -> strings.get(i).length()).reversed());
        String out = doc;
        for (int i : order) {
            out = out.replace(strings.get(i), String.valueOf((char) (FIRST + i)));
        }
        return out;
    }

    /** How often each placeholder occurs in {@code shape}. */
    private static int[] counts(String shape, int n) {
        int[] counts = new int[n];
        for (int i = 0; i < shape.length(); i++) {
            int k = shape.charAt(i) - FIRST;
            if (k >= 0 && k < n) {
                counts[k]++;
            }
        }
        return counts;
    }

    /** The length of {@code shape} with each placeholder replaced by its string. */
    private static long expectedLength(String shape, int[] counts, List<String> strings) {
        long length = shape.length();
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] > 0) {
                if (k >= strings.size() || strings.get(k) == null) {
                    return -1; // this cluster has no string for a placeholder of the shape
                }
                length += (long) counts[k] * (strings.get(k).length() - 1);
            }
        }
        return length;
    }

    private static boolean containsAny(String text, List<String> strings) {
        for (String s : strings) {
            if (s != null && text.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyKeyContains(Object node, List<String> strings) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (containsAny(String.valueOf(e.getKey()), strings) || anyKeyContains(e.getValue(), strings)) {
                    return true;
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                if (anyKeyContains(item, strings)) {
                    return true;
                }
            }
        }
        return false;
    }
}
