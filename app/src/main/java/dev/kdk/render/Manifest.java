package dev.kdk.render;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One rendered Kubernetes object.
 *
 * @param cluster  the cluster it belongs to, such as {@code testing1}
 * @param template the template file it came from, such as {@code statefulset.yaml.j2}
 * @param text     the rendered YAML document (without the {@code # Source:} header)
 * @param object   the same document parsed into fabric8's typed model
 */
public record Manifest(String cluster, String template, String text, HasMetadata object) {

    /** {@code Kind/name}, as kubectl names objects. */
    public String id() {
        return object.getKind() + "/" + object.getMetadata().getName();
    }
}
