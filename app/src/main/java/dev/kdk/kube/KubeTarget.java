package dev.kdk.kube;

import java.nio.file.Path;

/**
 * Which host cluster and namespace to talk to, as kubectl's {@code --kubeconfig}, {@code --context} and
 * {@code -n} flags say it. Null fields mean "as kubectl would choose": {@code KUBECONFIG} (or, inside a
 * kdk subshell, {@code KDK_HOST_KUBECONFIG}), then {@code ~/.kube/config}; the current context; the
 * context's namespace, then {@code default}.
 */
public record KubeTarget(Path kubeconfig, String context, String namespace) {
    public static KubeTarget defaults() {
        return new KubeTarget(null, null, null);
    }
}
