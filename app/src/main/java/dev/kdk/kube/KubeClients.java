package dev.kdk.kube;

import dev.kdk.KdkException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builds fabric8 clients for the host cluster, resolving kubeconfig, context and namespace as kubectl does. */
public final class KubeClients {
    /** Set in a kdk subshell: the kubeconfig kdk itself used, so that kdk keeps talking to the host cluster. */
    public static final String HOST_KUBECONFIG_ENV = "KDK_HOST_KUBECONFIG";
    /** Set in a kdk subshell: the host context and namespace kdk used, the defaults of a nested kdk. */
    public static final String HOST_CONTEXT_ENV = "KDK_HOST_CONTEXT";
    public static final String HOST_NAMESPACE_ENV = "KDK_HOST_NAMESPACE";

    private final Map<String, String> env;

    public KubeClients() {
        this(System.getenv());
    }

    /** @param env the process environment to read {@code KUBECONFIG} and {@code KDK_HOST_KUBECONFIG} from */
    public KubeClients(Map<String, String> env) {
        this.env = env;
    }

    /**
     * The kubeconfig file kdk uses for the host cluster: {@code --kubeconfig}, else {@code KDK_HOST_KUBECONFIG}
     * (inside a kdk subshell), else the first file of {@code KUBECONFIG}, else {@code ~/.kube/config}.
     * Returns null when none exists (then fabric8 falls back to in-cluster configuration).
     */
    public Path kubeconfigFile(KubeTarget target) {
        if (target.kubeconfig() != null) {
            if (!Files.isRegularFile(target.kubeconfig())) {
                throw new KdkException("kubeconfig " + target.kubeconfig() + " does not exist; check --kubeconfig",
                        KdkException.USAGE, null);
            }
            return target.kubeconfig();
        }
        String host = env.get(HOST_KUBECONFIG_ENV);
        if (host != null && !host.isBlank()) {
            return Path.of(host);
        }
        String kubeconfig = env.get("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            for (String part : kubeconfig.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(Path.of(part))) {
                    return Path.of(part);
                }
            }
        }
        Path home = Path.of(System.getProperty("user.home"), ".kube", "config");
        return Files.isRegularFile(home) ? home : null;
    }

    /**
     * {@code target} with the context and namespace of the enclosing kdk subshell filled in where the flags left
     * them out (only when no --kubeconfig was given, so the host kubeconfig of the subshell is the one used).
     */
    public KubeTarget resolve(KubeTarget target) {
        if (target.kubeconfig() != null || blank(env.get(HOST_KUBECONFIG_ENV))) {
            return target;
        }
        return new KubeTarget(null, target.context() != null ? target.context() : nonBlank(env.get(HOST_CONTEXT_ENV)),
                target.namespace() != null ? target.namespace() : nonBlank(env.get(HOST_NAMESPACE_ENV)));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String nonBlank(String s) {
        return blank(s) ? null : s;
    }

    /** The fabric8 configuration for {@code target}; throws KdkException if the context does not exist. */
    public Config config(KubeTarget requested) {
        KubeTarget target = resolve(requested);
        Path file = kubeconfigFile(target);
        Config config;
        try {
            config = file != null ? Config.fromKubeconfig(target.context(), file.toFile()) : Config.autoConfigure(target.context());
        } catch (RuntimeException e) {
            throw new KdkException("cannot load kubeconfig " + file + (target.context() != null
                    ? " with context " + target.context() : "") + ": " + e.getMessage(), KdkException.USAGE, e);
        }
        ConfigBuilder builder = new ConfigBuilder(config)
                // fabric8 retries a failed request 10 times with backoff (about 20 s against a server that is down);
                // kubectl does not. One retry covers a dropped connection without making errors wait.
                .withRequestRetryBackoffLimit(1);
        if (target.namespace() != null) {
            builder.withNamespace(target.namespace());
        } else if (config.getNamespace() == null) {
            builder.withNamespace("default");
        }
        return builder.build();
    }

    /** A client for {@code target}; the caller closes it. */
    public KubernetesClient client(KubeTarget target) {
        return new KubernetesClientBuilder().withConfig(config(target)).build();
    }
}
