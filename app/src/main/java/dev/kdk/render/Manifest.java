package dev.kdk.render;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One rendered Kubernetes object: its YAML text, and the same document in fabric8's typed model.
 *
 * <p>The typed object is made on first use when the renderer validated the document by its shape alone
 * ({@link SharedParseBack}); a document whose shape was validated cannot fail to parse.
 */
public final class Manifest {
    private final String cluster;
    private final String template;
    private final String source;
    private final String text;
    private final String kind;
    private volatile HasMetadata object;

    /**
     * @param cluster  the cluster it belongs to, such as {@code testing1}
     * @param template the template file it came from, such as {@code statefulset.yaml.j2}
     * @param source   the template as errors name it, such as {@code chart-templates/statefulset.yaml.j2}
     * @param text     the rendered YAML document (without the {@code # Source:} header), ending in a newline
     * @param kind     the object's kind, such as {@code StatefulSet}
     * @param object   the typed object, or null to parse {@code text} on first use
     */
    Manifest(String cluster, String template, String source, String text, String kind, HasMetadata object) {
        this.cluster = cluster;
        this.template = template;
        this.source = source;
        this.text = text;
        this.kind = kind;
        this.object = object;
    }

    /** The cluster it belongs to, such as {@code testing1}. */
    public String cluster() {
        return cluster;
    }

    /** The template file it came from, such as {@code statefulset.yaml.j2}. */
    public String template() {
        return template;
    }

    /** The rendered YAML document, without the {@code # Source:} header, ending in a newline. */
    public String text() {
        return text;
    }

    /** The object's kind, such as {@code StatefulSet}. */
    public String kind() {
        return kind;
    }

    /**
     * The document in fabric8's typed model.
     *
     * @throws TemplateException as {@link ManifestParser#parse} (only for a document whose shape was not validated)
     */
    public HasMetadata object() {
        HasMetadata o = object;
        if (o == null) {
            o = ManifestParser.parse(source, text);
            object = o;
        }
        return o;
    }

    /** True once the typed object is made (for tests of {@link SharedParseBack}). */
    boolean isParsed() {
        return object != null;
    }

    /** {@code Kind/name}, as kubectl names objects. */
    public String id() {
        return kind + "/" + object().getMetadata().getName();
    }

    @Override
    public String toString() {
        return cluster + ": " + template;
    }
}
