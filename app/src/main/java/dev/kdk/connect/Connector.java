package dev.kdk.connect;

import dev.kdk.Futures;
import dev.kdk.KdkException;
import dev.kdk.kube.KubeClients;
import dev.kdk.kube.KubeTarget;
import dev.kdk.pki.Kubeconfigs;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code kdk connect}: finds the cluster's pod, writes its kubeconfig (server rewritten to the local end of the
 * forward) into a private session directory, forwards a local port to the pod's 16443, proves the forward with a
 * TLS handshake, then runs the subshell or command. Every resource is released when that ends, or on SIGTERM/SIGHUP.
 */
public final class Connector {
    /** Environment variable naming the cluster in a kdk subshell. */
    public static final String CLUSTER_ENV = "KDK_CLUSTER";

    /**
     * What to connect to and how.
     *
     * @param name    the cluster
     * @param timeout how long to wait for the pod to be Ready, and for a restarted pod to come back
     * @param port    local port: null for 16443-or-any, 0 for any, else exactly that one
     * @param address local address to listen on (127.0.0.1 by default)
     * @param command what to run instead of the shell; empty for {@code $SHELL}
     */
    public record Options(ClusterName name, Duration timeout, Integer port, InetAddress address, List<String> command) {
        public Options {
            command = List.copyOf(command);
        }
    }

    private final KubeClients clients;
    private final KubeTarget target;
    private final Map<String, String> env;
    private final Progress progress;
    private final Path tempRoot;

    /**
     * @param env      kdk's environment ({@code KDK_CLUSTER}, {@code KDK_HOST_KUBECONFIG}, {@code SHELL})
     * @param tempRoot where session directories go ({@code java.io.tmpdir})
     */
    public Connector(KubeClients clients, KubeTarget target, Map<String, String> env, Progress progress, Path tempRoot) {
        this.clients = clients;
        this.target = target;
        this.env = env;
        this.progress = progress;
        this.tempRoot = tempRoot;
    }

    /**
     * Connects and runs the subshell; returns its exit code. Throws KdkException (exit 1) for a missing or failed
     * pod, a missing or forbidden Secret, a busy {@code --port}, or a forward that does not reach the API server.
     */
    public int connect(Options options) {
        new StaleSessions(tempRoot).sweep();
        ClusterName name = options.name();
        Path hostKubeconfig = clients.kubeconfigFile(target);
        String inside = env.get(CLUSTER_ENV);
        if (inside != null && !inside.isBlank() && target.kubeconfig() == null) {
            if (env.get(KubeClients.HOST_KUBECONFIG_ENV) != null) {
                progress.step("connecting from inside cluster " + inside + "'s shell, using the host"
                        + " kubeconfig " + hostKubeconfig);
            } else {
                progress.warn("warning: " + CLUSTER_ENV + " is set but " + KubeClients.HOST_KUBECONFIG_ENV
                        + " is not; talking to the cluster KUBECONFIG names");
            }
        }
        progress.step("Setting up access to " + name.resourceName());
        try (KubernetesClient client = clients.client(target)) {
            String source = "Secret " + client.getNamespace() + "/" + name.kubeconfigSecretName() + " key "
                    + KubeconfigSecretReader.KEY;
            // The Secret, its rewrite and the TLS set-up do not depend on the pod: prepare them while the pod is
            // looked up. The two GETs go one after the other, over one connection; an answer refusing the Secret
            // is reported after the pod checks, as if the Secret came second (an unreachable server at once).
            String host = serverHost(options.address());
            ClusterPodLocator locator = new ClusterPodLocator(client, progress);
            // The first stream to the pod (the TLS probe's) is opened now, its handshakes overlapping the two GETs.
            FabricPodStreams streams = new FabricPodStreams(client, name, LocalPortChooser.DEFAULT_PORT, locator);
            streams.prime();
            CompletableFuture<Credentials> credentials;
            try {
                String kubeconfig = new KubeconfigSecretReader(client).read(name);
                credentials = Futures.inBackground("kdk-connect-prepare", () -> {
                    Config parsed = Kubeconfigs.parse(kubeconfig, source);
                    TlsProbe probe = new TlsProbe(parsed, source); // before the rewrite changes parsed's servers
                    return new Credentials(kubeconfig, Kubeconfigs.withServer(parsed,
                            server(host, LocalPortChooser.DEFAULT_PORT), source), probe);
                });
            } catch (KdkException e) {
                if (e.getCause() != null && StreamFailures.httpCode(e.getCause()) <= 0) {
                    throw e;
                }
                credentials = CompletableFuture.failedFuture(e);
            }
            PodState pod = locator.awaitReady(name, options.timeout());

            progress.step(". writing kubeconfig for " + name.resourceName());
            Credentials c = Futures.join(credentials);
            try (ConnectSession session = ConnectSession.open(tempRoot)) {
                return connect(options, client, streams, pod, source, c, session, hostKubeconfig);
            }
        }
    }

    /**
     * The developer's kubeconfig (from the Secret), the same with the server rewritten to the default local port,
     * and the probe built from its TLS data.
     */
    private record Credentials(String kubeconfig, String atDefaultPort, TlsProbe probe) {
    }

    private int connect(Options options, KubernetesClient client, FabricPodStreams streams, PodState pod,
            String source, Credentials credentials, ConnectSession session, Path hostKubeconfig) {
        String original = credentials.kubeconfig();
        ClusterName name = options.name();
        String host = serverHost(options.address());
        session.writeKubeconfig(credentials.atDefaultPort());

        progress.step(". tightening permissions for kubeconfig");
        requireMode(session.directory(), "rwx------");
        requireMode(session.kubeconfig(), "rw-------");

        progress.step(". getting port number");
        if (!options.address().isLoopbackAddress()) {
            progress.warn("warning: listening on " + options.address().getHostAddress() + ", not 127.0.0.1: other"
                    + " machines can reach this forward (they still need your client certificate)");
        }
        LocalPortChooser.Choice choice = new LocalPortChooser(new PortOwner()).choose(options.address(), options.port());
        if (choice.note() != null) {
            progress.step(". " + choice.note());
        }
        if (choice.port() != LocalPortChooser.DEFAULT_PORT) {
            session.writeKubeconfig(Kubeconfigs.withServer(original, server(host, choice.port()), source));
        }

        progress.step(". forwarding " + LocalPortChooser.DEFAULT_PORT
                + (choice.port() != LocalPortChooser.DEFAULT_PORT ? " (local port " + choice.port() + ")" : ""));
        ResilientPortForward forward = new ResilientPortForward(choice.socket(), streams, pod.identity(),
                options.timeout(), progress);
        session.attach(forward);
        forward.start();

        progress.step(". waiting for port forward to complete");
        try {
            credentials.probe().handshake(host, choice.port(), options.timeout());
        } catch (KdkException e) {
            if (e.getCause() instanceof javax.net.ssl.SSLHandshakeException && e.getMessage().startsWith("TLS")) {
                throw e; // the stream worked; the certificate did not
            }
            throw forward.lastFailure().map(cause -> streamFailure(client, name, cause)).orElse(e);
        }

        Map<String, String> childEnv = new LinkedHashMap<>();
        childEnv.put("KUBECONFIG", session.kubeconfig().toString());
        childEnv.put(CLUSTER_ENV, name.name());
        if (hostKubeconfig != null) {
            childEnv.put(KubeClients.HOST_KUBECONFIG_ENV, hostKubeconfig.toAbsolutePath().toString());
            // A nested kdk talks to the same host context and namespace as this one, whatever flags chose them.
            KubeTarget used = clients.resolve(target);
            if (used.context() != null) {
                childEnv.put(KubeClients.HOST_CONTEXT_ENV, used.context());
            }
            childEnv.put(KubeClients.HOST_NAMESPACE_ENV, client.getNamespace());
        }
        Subshell subshell = new Subshell(options.command(), env, childEnv);
        session.attach(subshell);
        if (options.command().isEmpty()) {
            progress.step(". launching sub-shell (when finished type exit to return)");
            progress.step("");
            progress.step("To launch further shells run:");
            progress.step("");
            progress.step("KUBECONFIG=" + session.kubeconfig() + " $SHELL");
            progress.step("");
        } else {
            progress.step(". running " + String.join(" ", options.command()));
        }
        return subshell.run();
    }

    /** Explains why the pod stream failed, naming the missing permission for 401/403. */
    private static KdkException streamFailure(KubernetesClient client, ClusterName name, Throwable cause) {
        int code = StreamFailures.httpCode(cause);
        String ns = client.getNamespace();
        if (code == 403) {
            return new KdkException("forbidden: you may not create pods/portforward on " + name.podName()
                    + " in namespace " + ns + "; the admin grants `get`/`create` on pods/portforward for "
                    + name.podName() + " to each developer through Role " + name.userRoleName()
                    + " (kdk install creates it for the cluster's email)", cause);
        }
        if (code == 401) {
            return new KdkException("unauthorized: the host cluster rejected your credentials for the port forward to "
                    + name.podName() + "; log in again or check --kubeconfig/--context", cause);
        }
        return new KdkException("the port forward to pod " + name.podName() + " port " + LocalPortChooser.DEFAULT_PORT
                + " failed: " + (code > 0 ? "HTTP " + code + ": " : "") + cause.getMessage(), cause);
    }

    /** The host the kubeconfig dials: 127.0.0.1 when listening on all addresses, else the listening address. */
    static String serverHost(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String literal = address.getHostAddress();
        return address instanceof Inet6Address && literal.contains("%") ? literal.substring(0, literal.indexOf('%'))
                : literal;
    }

    /** {@code https://HOST:PORT}, with an IPv6 literal in brackets. */
    static String server(String host, int port) {
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static void requireMode(Path path, String mode) {
        try {
            Set<PosixFilePermission> actual = Files.getPosixFilePermissions(path);
            if (!actual.equals(PosixFilePermissions.fromString(mode))) {
                throw new KdkException(path + " has mode " + PosixFilePermissions.toString(actual) + ", expected "
                        + mode + "; refusing to leave credentials readable by others");
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new KdkException("cannot check the permissions of " + path + ": " + e.getMessage(), e);
        }
    }
}
