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
 * strings (its name, {@code RELEASE-NAME}, the owner's email, its certificates in base64). When a document parses
 * cleanly, its <em>shape</em> is kept: its text cut at each place one of its cluster's strings stands (longest string
 * first), with which string stood there. A later document from the same template that is exactly that shape with its
 * own cluster's strings in those places has the same YAML structure, so it is not parsed again; its typed object is
 * made on first use ({@link Manifest#object()}).
 *
 * <p>A shape is kept only when nothing in it can depend on the strings that fill it:
 * <ul>
 *   <li>each string is inert in YAML: it starts with a letter or digit, holds only letters, digits and
 *       {@code . _ @ + / = -} (no quote, colon, space, comment or flow character, so it cannot end a scalar or start
 *       a structure), and reads as a string on its own, not as a number, boolean, null or date;</li>
 *   <li>the document that proved the shape has no mapping key and no kind containing one of its strings, so another
 *       cluster's strings can add, duplicate or misspell no key;</li>
 *   <li>in that document, a plain (unquoted) scalar that holds one of its strings is exactly that string, so no
 *       other cluster's string can make YAML read a scalar as a number, boolean or date.</li>
 * </ul>
 * Any other document is parsed in full.
 */
final class SharedParseBack {
    private static final int MAX_STRINGS = 16;
    /** Shapes kept per template and document; past this many (clusters that all differ) documents are parsed. */
    private static final int MAX_SHAPES = 8;
    private static final Resolver RESOLVER = new Resolver();

    /** {@code template#ordinal} -> the shapes proven for that document of the template. */
    private final Map<String, List<Shape>> shapes = new ConcurrentHashMap<>();

    /**
     * A document cut at its cluster's strings: {@code literals[0] + string[slots[0]] + literals[1] + ...
     * + literals[n]}, where {@code string} is a cluster's {@link #clusterStrings}.
     */
    record Shape(List<String> literals, int[] slots, String kind) {
        /** True if {@code doc} is this shape filled with {@code strings}. */
        boolean matches(String doc, List<String> strings) {
            int pos = 0;
            for (int i = 0; i < slots.length; i++) {
                String literal = literals.get(i);
                String s = strings.get(slots[i]);
                if (s == null || !doc.startsWith(literal, pos) || !doc.startsWith(s, pos + literal.length())) {
                    return false;
                }
                pos += literal.length() + s.length();
            }
            String last = literals.get(slots.length);
            return doc.length() - pos == last.length() && doc.startsWith(last, pos);
        }
    }

    /**
     * One cluster's own strings, in a fixed order (name, then the rest as the renderer lists them); a string that is
     * not inert, or shorter than two characters, is left as null, and then not looked for.
     */
    static List<String> clusterStrings(List<String> strings) {
        if (strings.size() > MAX_STRINGS) {
            throw new IllegalArgumentException("at most " + MAX_STRINGS + " strings");
        }
        List<String> out = new ArrayList<>(strings.size());
        for (String s : strings) {
            out.add(s != null && s.length() >= 2 && isInert(s) && RESOLVER.resolve(NodeId.scalar, s, true).equals(Tag.STR)
                    ? s : null);
        }
        return out;
    }

    /** Starts with a letter or digit and holds only letters, digits and {@code . _ @ + / = -}. */
    private static boolean isInert(String s) {
        if (!Character.isLetterOrDigit(s.charAt(0))) {
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
     * The manifest for one rendered document, parsed in full unless it matches a shape proven for the same document
     * of the same template.
     *
     * @param ordinal which document of the template's output this is (0 for the first)
     * @param strings the cluster's strings from {@link #clusterStrings}
     * @throws TemplateException as {@link ManifestParser#parse}
     */
    Manifest manifest(String cluster, String template, int ordinal, String source, String doc, List<String> strings) {
        String key = template + "#" + ordinal;
        List<Shape> known = shapes.getOrDefault(key, List.of());
        for (Shape shape : known) {
            if (shape.matches(doc, strings)) {
                return new Manifest(cluster, template, source, doc, shape.kind(), null);
            }
        }
        ManifestParser.Parsed parsed = ManifestParser.parseTree(source, doc);
        String kind = parsed.object().getKind();
        if (known.size() < MAX_SHAPES && !containsAny(kind, strings) && !anyKeyContains(parsed.tree(), strings)
                && plainScalarsAreWholeStrings(doc, strings)) {
            Shape shape = shape(doc, strings, kind);
            shapes.compute(key, (k, old) -> {
                List<Shape> next = new ArrayList<>(old == null ? List.of() : old);
                next.add(shape);
                return List.copyOf(next);
            });
        }
        return new Manifest(cluster, template, source, doc, kind, parsed.object());
    }

    /** {@code doc} cut at each occurrence of one of {@code strings}, longest string first, left to right. */
    static Shape shape(String doc, List<String> strings, String kind) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            if (strings.get(i) != null) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingInt((Integer i) -> strings.get(i).length()).reversed());
        // Which string, if any, starts at each position; a place taken by a longer string is not searched again.
        int[] at = new int[doc.length()];
        boolean[] taken = new boolean[doc.length()];
        for (int k : order) {
            String s = strings.get(k);
            for (int from = doc.indexOf(s); from >= 0; from = doc.indexOf(s, from + 1)) {
                if (!anyTaken(taken, from, s.length())) {
                    at[from] = k + 1;
                    java.util.Arrays.fill(taken, from, from + s.length(), true);
                }
            }
        }
        List<String> literals = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < doc.length(); i++) {
            if (at[i] > 0) {
                literals.add(doc.substring(start, i));
                slots.add(at[i] - 1);
                start = i + strings.get(at[i] - 1).length();
                i = start - 1;
            }
        }
        literals.add(doc.substring(start));
        return new Shape(List.copyOf(literals), slots.stream().mapToInt(Integer::intValue).toArray(), kind);
    }

    private static boolean anyTaken(boolean[] taken, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (taken[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if every plain scalar that holds one of {@code strings} is exactly that string: YAML guesses a plain
     * scalar's type from its whole text, so {@code 1} followed by another cluster's name {@code e5} would read as a
     * number; a whole string that is inert and reads as a string stays one.
     */
    private static boolean plainScalarsAreWholeStrings(String doc, List<String> strings) {
        for (String value : ManifestParser.plainScalars(doc)) {
            if (containsAny(value, strings) && !strings.contains(value)) {
                return false;
            }
        }
        return true;
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
