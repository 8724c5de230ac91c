package dev.kdk.render;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
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
 * <p>The reduction is exact (the placeholders are private-use characters, and a document holding one is parsed in
 * full), and a shape is shared only when nothing in it can depend on the strings replaced:
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
    /** The first placeholder; the string at index i of {@link #clusterStrings} becomes {@code FIRST + i}. */
    private static final char FIRST = '\uE000';
    private static final int MAX_STRINGS = 16;
    /** Shapes kept; past this many (clusters that all differ) documents are simply parsed. */
    private static final int MAX_SHAPES = 512;
    private static final Pattern INERT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+/=-]*");
    private static final Resolver RESOLVER = new Resolver();

    /** Shape of a document that parsed cleanly -> its kind. */
    private final Map<String, String> kinds = new ConcurrentHashMap<>();

    /**
     * One cluster's own strings, in a fixed order (name, then the rest as the renderer lists them); a string that is
     * not inert is left as null, and is then not replaced.
     */
    static List<String> clusterStrings(List<String> strings) {
        if (strings.size() > MAX_STRINGS) {
            throw new IllegalArgumentException("at most " + MAX_STRINGS + " strings");
        }
        List<String> out = new ArrayList<>(strings.size());
        for (String s : strings) {
            out.add(s != null && INERT.matcher(s).matches()
                    && RESOLVER.resolve(NodeId.scalar, s, true).equals(Tag.STR) ? s : null);
        }
        return out;
    }

    /**
     * The manifest for one rendered document, parsed in full unless a document of the same shape already was.
     *
     * @param strings the cluster's strings from {@link #clusterStrings}
     * @throws TemplateException as {@link ManifestParser#parse}
     */
    Manifest manifest(String cluster, String template, String source, String doc, List<String> strings) {
        String shape = shape(doc, strings);
        if (shape != null) {
            String kind = kinds.get(shape);
            if (kind != null) {
                return new Manifest(cluster, template, source, doc, kind, null);
            }
        }
        ManifestParser.Parsed parsed = ManifestParser.parseTree(source, doc);
        String kind = parsed.object().getKind();
        if (shape != null && kinds.size() < MAX_SHAPES && !containsAny(kind, strings)
                && !anyKeyContains(parsed.tree(), strings)) {
            kinds.putIfAbsent(shape, kind);
        }
        return new Manifest(cluster, template, source, doc, kind, parsed.object());
    }

    /** {@code doc} with the cluster's strings replaced by placeholders, longest first; null if it holds one already. */
    static String shape(String doc, List<String> strings) {
        for (int i = 0; i < strings.size(); i++) {
            if (doc.indexOf(FIRST + i) >= 0) {
                return null;
            }
        }
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
