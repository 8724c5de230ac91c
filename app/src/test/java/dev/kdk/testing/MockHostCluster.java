package dev.kdk.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The host cluster in tests: fabric8's {@link KubernetesMockServer} in CRUD mode, plus the kubelet's port-forward
 * endpoint ({@code GET .../pods/POD/portforward?ports=N}, WebSocket {@code v4.channel.k8s.io}) bridged to a real
 * local TCP port standing in for the pod's port, and switches to answer 403 for chosen paths.
 *
 * <p>The dispatcher runs on Vert.x's event loop: it reads pods from its own store, never over HTTP.
 */
public final class MockHostCluster implements AutoCloseable {
    /** Namespace the release lives in. */
    public static final String NAMESPACE = "kdk-system";

    private static final Pattern PORT_FORWARD =
            Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/?]+)/portforward\\?ports=(\\d+)");

    /** Kept strongly so the level sticks: the mock logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Dispatcher dispatcher = new Dispatcher();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private final Map<Integer, InetSocketAddress> backends = new ConcurrentHashMap<>();
    private final Set<String> forbidden = ConcurrentHashMap.newKeySet();
    private final Set<PortForwardBridge> bridges = ConcurrentHashMap.newKeySet();
    private final AtomicInteger streamsOpened = new AtomicInteger();

    public MockHostCluster() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init();
        client = server.createClient();
    }

    /** A client for the mock in namespace {@link #NAMESPACE}. */
    public NamespacedKubernetesClient client() {
        return client.adapt(NamespacedKubernetesClient.class).inNamespace(NAMESPACE);
    }

    /** Forwards to pod port {@code podPort} reach {@code backend} (any pod of the namespace). */
    public void backend(int podPort, InetSocketAddress backend) {
        backends.put(podPort, backend);
    }

    /** Requests whose path (without query) equals {@code path} get 403 Forbidden. */
    public void forbid(String path) {
        forbidden.add(path);
    }

    /** Number of port-forward streams opened so far. */
    public int streamsOpened() {
        return streamsOpened.get();
    }

    /** Closes every open port-forward stream, as a restarting pod does. */
    public void dropStreams() {
        for (PortForwardBridge b : bridges) {
            b.close();
        }
    }

    /** Creates pod kdk-NAME-0 with the kdk labels, Ready or not. */
    public Pod createPod(String cluster, boolean ready) {
        Pod pod = new PodBuilder().withNewMetadata().withName("kdk-" + cluster + "-0").withNamespace(NAMESPACE)
                .withUid(UUID.randomUUID().toString())
                .addToLabels("app.kubernetes.io/instance", "kdk").addToLabels("kdk.dev/cluster", cluster)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("kdk").withImage("kdk").endContainer().endSpec()
                .build();
        pod = client().pods().resource(pod).create();
        return setReady(cluster, ready, 0);
    }

    /** Sets the pod's phase/Ready condition and restart count, as the kubelet would. */
    public Pod setReady(String cluster, boolean ready, int restarts) {
        return client().pods().withName("kdk-" + cluster + "-0").editStatus(p -> new PodBuilder(p).withNewStatus()
                .withPhase(ready ? "Running" : "Pending")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("kdk").withReady(ready).withRestartCount(restarts)
                .withNewState().withNewWaiting().withReason(ready ? null : "ContainerCreating").endWaiting().endState()
                .endContainerStatus()
                .endStatus().build());
    }

    /** Creates Secret kdk-NAME-kubeconfig with key {@code config} (or {@code key}). */
    public void createKubeconfigSecret(String cluster, String key, String kubeconfig) {
        client().secrets().resource(new SecretBuilder().withNewMetadata().withName("kdk-" + cluster + "-kubeconfig")
                .withNamespace(NAMESPACE).addToLabels("kdk.dev/cluster", cluster).endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    /** Writes a kubeconfig for the host (this mock) into {@code dir}; returns its path. */
    public Path writeHostKubeconfig(Path dir) {
        String url = "http://" + server.getHostName() + ":" + server.getPort();
        Map<String, Object> config = Map.of(
                "apiVersion", "v1", "kind", "Config", "current-context", "host",
                "clusters", List.of(Map.of("name", "host", "cluster", Map.of("server", url))),
                "users", List.of(Map.of("name", "dev", "user", Map.of("token", "dev-token"))),
                "contexts", List.of(Map.of("name", "host",
                        "context", Map.of("cluster", "host", "user", "dev", "namespace", NAMESPACE))));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("host-kubeconfig");
            Files.writeString(file, new Yaml().dump(config));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        dropStreams();
        client.close();
        server.destroy();
    }

    /** CRUD dispatcher plus port-forward and 403 switches. */
    private final class Dispatcher extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            if (forbidden.contains(bare)) {
                return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
                        .setBody(Serialization.asJson(new StatusBuilder().withStatus("Failure").withCode(403)
                                .withReason("Forbidden").withMessage("forbidden: User \"dev\" cannot get " + bare)
                                .build()));
            }
            Matcher m = PORT_FORWARD.matcher(path);
            if (m.matches()) {
                return portForward(m.group(1), m.group(2), Integer.parseInt(m.group(3)));
            }
            return super.dispatch(request);
        }

        private MockResponse portForward(String ns, String podName, int port) {
            MockResponse stored = handleGet("/api/v1/namespaces/" + ns + "/pods/" + podName);
            if (stored.code() != 200) {
                return stored;
            }
            Pod pod = Serialization.unmarshal(stored.getBody().readUtf8(), Pod.class);
            streamsOpened.incrementAndGet();
            String refusal = Readiness.isPodReady(pod) ? null : "error forwarding port " + port + " to pod " + podName
                    + ", uid : failed to execute portforward in network namespace: connection refused";
            InetSocketAddress backend = backends.get(port);
            if (refusal == null && backend == null) {
                refusal = "error forwarding port " + port + " to pod " + podName + ": nothing listens there";
            }
            return new MockResponse().withWebSocketUpgrade(new PortForwardBridge(port, backend, refusal, bridges));
        }
    }
}
