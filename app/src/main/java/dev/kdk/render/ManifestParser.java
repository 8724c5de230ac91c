package dev.kdk.render;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses rendered templates back into fabric8's typed model. A field the model does not know, an unknown kind,
 * a duplicate key or malformed YAML fails: a typo in a template cannot reach a cluster.
 */
public final class ManifestParser {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<Class<?>, List<Method>> GETTERS = new ConcurrentHashMap<>();
    /**
     * One loader per thread, reused: a {@link Yaml} is not thread-safe, but loads one document after another
     * without state carried over, and building one costs about as much as loading a small document.
     */
    private static final ThreadLocal<Yaml> LOADER = ThreadLocal.withInitial(() -> {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    });
    /**
     * The kinds chart templates usually produce, bound directly: fabric8's generic lookup loads its whole registry
     * (over a thousand model classes), which costs more than rendering a few clusters. Other kinds still work.
     */
    private static final Map<String, Class<? extends HasMetadata>> COMMON_KINDS = Map.ofEntries(
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("v1/PersistentVolumeClaim", io.fabric8.kubernetes.api.model.PersistentVolumeClaim.class),
            Map.entry("v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class),
            Map.entry("apps/v1/StatefulSet", io.fabric8.kubernetes.api.model.apps.StatefulSet.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", io.fabric8.kubernetes.api.model.rbac.Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", io.fabric8.kubernetes.api.model.rbac.RoleBinding.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class));

    private ManifestParser() {
    }

    /**
     * Splits rendered text on {@code ---} lines.
     *
     * @return the non-empty documents, in order, each without leading newlines and ending in one newline
     */
    public static List<String> split(String rendered) {
        List<String> out = new ArrayList<>();
        int docStart = 0;
        int lineStart = 0;
        while (lineStart <= rendered.length()) {
            int lineEnd = rendered.indexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? rendered.length() : lineEnd;
            if (isSeparator(rendered, lineStart, lineEnd)) {
                addDocument(rendered.substring(docStart, lineStart), out);
                docStart = lineEnd + 1;
            }
            lineStart = lineEnd + 1;
        }
        if (docStart < rendered.length()) {
            addDocument(rendered.substring(docStart), out);
        }
        return out;
    }

    /** True if the line is {@code ---}, then only spaces and tabs. */
    private static boolean isSeparator(String text, int start, int end) {
        if (!text.startsWith("---", start) || start + 3 > end) {
            return false;
        }
        for (int i = start + 3; i < end; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && !(c == '\r' && i == end - 1)) {
                return false;
            }
        }
        return true;
    }

    private static void addDocument(String doc, List<String> out) {
        if (!isBlank(doc)) {
            out.add(strip(doc));
        }
    }

    /**
     * Parses one document into fabric8's typed model.
     *
     * @param source names the template in errors, such as {@code chart-templates/statefulset.yaml.j2}
     * @throws TemplateException naming the source, the object and the field that is wrong
     */
    public static HasMetadata parse(String source, String doc) {
        return parseTree(source, doc).object();
    }

    /**
     * A parsed document: the plain YAML tree (maps, lists, scalars, as snakeyaml's safe constructor builds them)
     * and the typed object made from it.
     */
    record Parsed(Map<?, ?> tree, HasMetadata object) {
    }

    /**
     * The values of the plain (unquoted, non-block) scalars of a document that parses, in document order: the only
     * scalars whose type YAML guesses from their text.
     */
    static List<String> plainScalars(String doc) {
        List<String> out = new ArrayList<>();
        addPlainScalars(LOADER.get().compose(new java.io.StringReader(doc)), out);
        return out;
    }

    private static void addPlainScalars(Node node, List<String> out) {
        if (node instanceof ScalarNode scalar) {
            if (scalar.isPlain()) {
                out.add(scalar.getValue());
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(n -> addPlainScalars(n, out));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                addPlainScalars(tuple.getKeyNode(), out);
                addPlainScalars(tuple.getValueNode(), out);
            }
        }
    }

    /** As {@link #parse}, and keeps the YAML tree. */
    static Parsed parseTree(String source, String doc) {
        Object tree;
        try {
            tree = LOADER.get().load(doc);
        } catch (MarkedYAMLException e) {
            throw new TemplateException(source + ": rendered YAML is malformed at line "
                    + (e.getProblemMark() == null ? "?" : e.getProblemMark().getLine() + 1) + " of the document: "
                    + e.getProblem());
        } catch (YAMLException e) {
            throw new TemplateException(source + ": rendered YAML is malformed: " + e.getMessage());
        }
        if (!(tree instanceof Map<?, ?> map) || !(map.get("kind") instanceof String kind)
                || !(map.get("apiVersion") instanceof String)) {
            throw new TemplateException(source + ": a rendered document must be a Kubernetes object with apiVersion and kind");
        }
        KubernetesResource resource;
        try {
            Class<? extends HasMetadata> type = COMMON_KINDS.get(map.get("apiVersion") + "/" + kind);
            resource = type != null ? SERIALIZATION.convertValue(map, type)
                    : SERIALIZATION.convertValue(map, KubernetesResource.class);
        } catch (IllegalArgumentException e) {
            throw new TemplateException(source + ": " + kind + " does not match the Kubernetes model: "
                    + e.getMessage().split("\n")[0]);
        }
        if (resource instanceof GenericKubernetesResource || !(resource instanceof HasMetadata object)) {
            throw new TemplateException(source + ": unknown kind " + map.get("apiVersion") + "/" + kind);
        }
        List<String> unknown = new ArrayList<>();
        findUnknown(object, "", unknown);
        if (!unknown.isEmpty()) {
            String name = object.getMetadata() == null ? "?" : object.getMetadata().getName();
            throw new TemplateException(source + ": " + kind + " " + name + ": unknown field"
                    + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " (not in the Kubernetes API; check the spelling and indentation)");
        }
        return new Parsed(map, object);
    }

    /** Adds the path of every field that fabric8 kept as an "additional property", i.e. does not know. */
    private static void findUnknown(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                findUnknown(list.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> findUnknown(v, path + "." + k, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : getters(node.getClass())) {
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(k -> unknown.add((path.isEmpty() ? "" : path.substring(1) + ".") + k));
                }
            } else {
                String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
                findUnknown(value, path + "." + field, unknown);
            }
        }
    }

    private static List<Method> getters(Class<?> type) {
        return GETTERS.computeIfAbsent(type, t -> {
            List<Method> out = new ArrayList<>();
            for (Method m : t.getMethods()) {
                if (m.getName().startsWith("get") && m.getName().length() > 3 && m.getParameterCount() == 0
                        && !Modifier.isStatic(m.getModifiers()) && m.getDeclaringClass() != Object.class
                        && (m.getName().equals("getAdditionalProperties")
                        || !(m.getReturnType().isPrimitive() || m.getReturnType() == String.class
                        || Number.class.isAssignableFrom(m.getReturnType()) || m.getReturnType() == Boolean.class))) {
                    out.add(m);
                }
            }
            return out;
        });
    }

    /** True if every line of {@code doc} is empty, blank or a comment. */
    private static boolean isBlank(String doc) {
        int start = 0;
        while (start < doc.length()) {
            int end = doc.indexOf('\n', start);
            end = end < 0 ? doc.length() : end;
            String t = doc.substring(start, end).strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /** {@code doc} without leading newlines and trailing whitespace, ending in one newline. */
    private static String strip(String doc) {
        int start = 0;
        while (start < doc.length() && doc.charAt(start) == '\n') {
            start++;
        }
        return doc.substring(start).stripTrailing() + "\n";
    }
}
