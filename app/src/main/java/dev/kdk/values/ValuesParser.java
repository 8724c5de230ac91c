package dev.kdk.values;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Parses one values document (YAML) into a {@link ValuesTree} that remembers the line and column of every value. */
public final class ValuesParser {
    private ValuesParser() {
    }

    /**
     * Parses {@code text}, read from {@code source} (a file name, {@code -} for stdin).
     *
     * @return the document as a tree; an empty document gives an empty tree
     * @throws ValuesException for malformed YAML (at the error's position), duplicate keys (every one),
     *                         non-string keys, more than one document, or a top level that is not a map
     */
    public static ValuesTree parse(String source, String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // found below, all at once, with their positions
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<Node> documents = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                documents.add(node);
            }
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new ValuesException(List.of(new Problem(location(source, m), "",
                    "malformed YAML: " + firstLine(e.getProblem() != null ? e.getProblem() : e.getMessage())
                            + " (check the indentation and quoting on this line and the one before)")));
        } catch (YAMLException e) {
            throw new ValuesException(List.of(new Problem(new Location(source, 1, 1), "",
                    "malformed YAML: " + firstLine(e.getMessage()))));
        }
        if (documents.isEmpty()) {
            return ValuesTree.empty();
        }
        if (documents.size() > 1) {
            throw new ValuesException(List.of(new Problem(location(source, documents.get(1).getStartMark()), "",
                    "a values file holds one YAML document; remove the second `---` or split the file")));
        }
        Node rootNode = documents.get(0);
        if (!(rootNode instanceof MappingNode)) {
            throw new ValuesException(List.of(new Problem(location(source, rootNode.getStartMark()), "",
                    "the top level of a values file must be a map of keys, such as `clusters:`")));
        }
        List<Problem> problems = new ArrayList<>();
        checkKeys(source, rootNode, "", problems);
        if (!problems.isEmpty()) {
            throw new ValuesException(problems);
        }
        Object loaded;
        try {
            loaded = yaml.load(text);
        } catch (YAMLException e) {
            throw new ValuesException(List.of(new Problem(location(source, rootNode.getStartMark()), "",
                    "malformed YAML: " + firstLine(e.getMessage()))));
        }
        Map<String, Location> origins = new HashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) normalize(source, loaded, rootNode, "", origins);
        return new ValuesTree(root, origins);
    }

    /** Every duplicate or non-string key in the document, with its position. */
    private static void checkKeys(String source, Node node, String path, List<Problem> problems) {
        if (node instanceof MappingNode map) {
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple t : map.getValue()) {
                Node keyNode = t.getKeyNode();
                if (!(keyNode instanceof ScalarNode key)) {
                    problems.add(new Problem(location(source, keyNode.getStartMark()), path,
                            "a key must be a plain string, not a map or list"));
                    continue;
                }
                if ("<<".equals(key.getValue())) {
                    continue; // YAML merge key
                }
                String childPath = ValuesTree.child(path, key.getValue());
                Node first = seen.putIfAbsent(key.getValue(), keyNode);
                if (first != null) {
                    problems.add(new Problem(location(source, keyNode.getStartMark()), childPath,
                            "duplicate key (first set at line " + (first.getStartMark().getLine() + 1)
                                    + "); keep one of them"));
                }
                checkKeys(source, t.getValueNode(), childPath, problems);
            }
        } else if (node instanceof SequenceNode seq) {
            List<Node> items = seq.getValue();
            for (int i = 0; i < items.size(); i++) {
                checkKeys(source, items.get(i), ValuesTree.index(path, i), problems);
            }
        }
    }

    /** Copies the loaded object into plain maps/lists with string keys, recording the position of every path. */
    private static Object normalize(String source, Object value, Node node, String path, Map<String, Location> origins) {
        if (node != null) {
            origins.put(path, location(source, node.getStartMark()));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Node> keyNodes = new HashMap<>();
            Map<String, Node> valueNodes = new HashMap<>();
            if (node instanceof MappingNode m) {
                for (NodeTuple t : m.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k) {
                        keyNodes.put(k.getValue(), k);
                        valueNodes.put(k.getValue(), t.getValueNode());
                    }
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                String childPath = ValuesTree.child(path, key);
                Node valueNode = valueNodes.get(key);
                Node keyNode = keyNodes.get(key);
                out.put(key, normalize(source, e.getValue(), valueNode, childPath, origins));
                if (keyNode != null) {
                    origins.put(childPath, location(source, keyNode.getStartMark()));
                } else if (node != null) {
                    origins.put(childPath, location(source, node.getStartMark()));
                }
            }
            return out;
        }
        if (value instanceof List<?> list) {
            List<Node> itemNodes = node instanceof SequenceNode s ? s.getValue() : List.of();
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                Node itemNode = i < itemNodes.size() ? itemNodes.get(i) : node;
                out.add(normalize(source, list.get(i), itemNode, ValuesTree.index(path, i), origins));
            }
            return out;
        }
        return value;
    }

    static Location location(String source, Mark mark) {
        return mark == null ? new Location(source, 1, 1) : new Location(source, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "parse error";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
