package dev.kdk.kube;

import dev.kdk.Futures;
import dev.kdk.KdkException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds fabric8 clients for the host cluster, resolving kubeconfig, context and namespace as kubectl does.
 *
 * <p>Every client of the process uses one Vert.x instance (fabric8's default HTTP client), started on a background
 * thread while the kubeconfig is read and closed by {@link #shutdown(Duration)} before the process exits: the JVM
 * waits up to 300 ms at exit for threads that sit in a system call, as idle event loops do, and fabric8 closes its
 * own instance without waiting for it.
 */
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
        CompletableFuture<Vertx> vertx = SharedVertx.get();
        Config config = config(target);
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientFactory(new VertxHttpClientFactory(Futures.join(vertx))).build();
    }

    /**
     * Starts loading the client machinery on background threads: the Vert.x instance, and fabric8's kubeconfig
     * parsing (its serializers and model classes, about 0.3 s on a cold JVM). For a command that will talk to the
     * host cluster, to call first thing, so that this overlaps parsing its arguments. Optional: what it does not
     * finish in time is done on first use, once.
     */
    public static void prepare() {
        SharedVertx.get();
        Futures.inBackground("kdk-client-prepare", () -> {
            try {
                return Config.fromKubeconfig(null, "apiVersion: v1\nkind: Config\n", null);
            } catch (RuntimeException e) {
                return null; // only a warm-up: the real kubeconfig is read, and its errors reported, by config()
            }
        });
    }

    /**
     * Closes the Vert.x instance behind the clients, if one was started, waiting at most {@code timeout} for its
     * threads to end. Call once, after every client is closed and before the process exits.
     */
    public static void shutdown(Duration timeout) {
        SharedVertx.close(timeout);
    }

    /** The process's Vert.x instance, created on first use with fabric8's own settings for it. */
    private static final class SharedVertx {
        private static CompletableFuture<Vertx> instance;

        private SharedVertx() {
        }

        /** Starts creating the instance on a daemon thread (once); returns its future. */
        static synchronized CompletableFuture<Vertx> get() {
            if (instance == null) {
                instance = Futures.inBackground("kdk-vertx-start", SharedVertx::create);
            }
            return instance;
        }

        /**
         * Event loops: two, not Vert.x's default of twice the cores. A kdk process has a handful of connections,
         * and every event loop that serves one costs about 4 MB of resident memory (its netty buffer arena).
         */
        private static final int EVENT_LOOPS = 2;

        /**
         * As fabric8's VertxHttpClientBuilder makes its own: daemon threads, no file caching or class-path
         * resolving, and the JDK's resolver instead of Vert.x's asynchronous DNS client (system property
         * {@code vertx.disableDnsResolver}, read while the instance is created; kdk sets it for the whole process, as
         * no other part of kdk creates a Vert.x instance); and {@link #EVENT_LOOPS}. No lock is held while Vert.x
         * starts: holding the system properties' monitor here (as kdk once did) could stall another thread that
         * touches them, and with it class initialisation elsewhere.
         */
        private static Vertx create() {
            System.setProperty("vertx.disableDnsResolver", "true");
            Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS).setUseDaemonThread(true)
                    .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                            .setClassPathResolvingEnabled(false)));
            initializeTls();
            return vertx;
        }

        /**
         * Runs the one-time set-up of netty's JDK TLS support (the JDK's default TLS context, its cipher suites and
         * trust store), which fabric8 triggers when it builds a client. This thread is otherwise done while the
         * kubeconfig is still being read; on the thread that builds the client it cost about 0.08 s of CPU. A failure
         * of that set-up is not caught: it fails this future, and so the client build, with its own cause (a class
         * whose set-up failed once would later fail only with "Could not initialize class", without one).
         */
        private static void initializeTls() {
            try {
                Class.forName("io.netty.handler.ssl.JdkSslContext", true, KubeClients.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("netty's TLS support is missing from kdk's class path", e);
            }
        }

        static void close(Duration timeout) {
            CompletableFuture<Vertx> vertx;
            synchronized (SharedVertx.class) {
                vertx = instance;
                instance = null;
            }
            if (vertx == null) {
                return;
            }
            try {
                vertx.get(timeout.toMillis(), TimeUnit.MILLISECONDS).close().toCompletionStage().toCompletableFuture()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // exiting anyway; at worst the JVM waits for the event loops
            }
        }
    }
}
