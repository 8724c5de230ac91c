package dev.kdk.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.yaml.snakeyaml.Yaml;

/**
 * The host cluster in tests: fabric8's {@link KubernetesMockServer} in CRUD mode (plain HTTP on a random port of
 * localhost) whose dispatcher is {@link HostApiDispatcher}: server-side apply, dryRun, namespace checks, injected
 * failures, a request journal, a settable clock, and the kubelet's port-forward bridged to real TCP ports.
 *
 * <p>The helpers that write pods and Secrets ({@link #createPod}, {@link #setReady},
 * {@link #createKubeconfigSecret}) work in this host's {@link #namespace()}, as the kubelet and {@code kdk install}
 * would; {@link #client()} defaults to that namespace too.
 */
public final class MockHostCluster implements AutoCloseable {
    /** Held so the JUL logger (and its level) is not garbage-collected: the mock logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final HostApiDispatcher api = new HostApiDispatcher();
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private final String namespace;
    private final boolean https;

    /** A host whose helpers and {@link #client()} use namespace {@code test} (fabric8's mock default). */
    public MockHostCluster() {
        this("test");
    }

    /** A host whose helpers and {@link #client()} use {@code namespace} (it is not created as an object). */
    public MockHostCluster(String namespace) {
        this(namespace, false);
    }

    /**
     * As {@link #MockHostCluster(String)}; with {@code https}, the API is served over TLS (the mock's self-signed
     * certificate, which {@link #client()} and {@link #writeKubeconfig} trust without verifying), as real API servers
     * are: what a forward costs includes the encryption.
     */
    public MockHostCluster(String namespace, boolean https) {
        this.namespace = namespace;
        this.https = https;
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), api, https);
        server.init();
        // the namespace as the kubeconfig's default (as kubectl's -n), not fixed: objects that name one keep it
        client = server.createClient(builder -> builder.editOrNewConfig().withNamespace(namespace).endConfig());
    }

    /** The dispatcher: store, journal, fault injection, clock, port-forward backends and streams. */
    public HostApiDispatcher api() {
        return api;
    }

    /** A client in {@link #namespace()}; closed with the server. */
    public NamespacedKubernetesClient client() {
        return client;
    }

    /** The namespace of {@link #client()} and of the objects the helpers create. */
    public String namespace() {
        return namespace;
    }

    /** Base URL of the API, e.g. {@code http://localhost:41234/}. */
    public String url() {
        return server.url("/");
    }

    /** Creates pod kdk-CLUSTER-0 with the kdk selector labels (release {@code kdk}), Ready or not. */
    public Pod createPod(String cluster, boolean ready) {
        Pod pod = new PodBuilder().withNewMetadata().withName("kdk-" + cluster + "-0").withNamespace(namespace)
                .withUid(UUID.randomUUID().toString())
                .addToLabels("app.kubernetes.io/instance", "kdk").addToLabels("kdk.dev/cluster", cluster)
                .endMetadata()
                .withNewSpec().addNewContainer().withName("kdk").withImage("kdk").endContainer().endSpec()
                .build();
        client.pods().resource(pod).create();
        return setReady(cluster, ready, 0);
    }

    /**
     * Plays the StatefulSet controller and the kubelet for StatefulSet {@code name} as stored (e.g. by
     * {@code kdk install}): creates its pod {@code NAME-0} from the pod template (labels, annotations, spec) and marks
     * it Ready. Throws {@link IllegalStateException} if the StatefulSet does not exist.
     */
    public Pod startStatefulSetPod(String name) {
        StatefulSet set = client.apps().statefulSets().withName(name).get();
        if (set == null) {
            throw new IllegalStateException("StatefulSet " + name + " not found in namespace " + namespace);
        }
        Pod pod = new PodBuilder().withNewMetadataLike(set.getSpec().getTemplate().getMetadata())
                .withName(name + "-0").withNamespace(namespace).withUid(UUID.randomUUID().toString()).endMetadata()
                .withSpec(set.getSpec().getTemplate().getSpec()).build();
        client.pods().resource(pod).create();
        return setPodReady(name + "-0", true, 0);
    }

    /** Sets pod kdk-CLUSTER-0's phase, Ready condition and restart count, as the kubelet would. */
    public Pod setReady(String cluster, boolean ready, int restarts) {
        return setPodReady("kdk-" + cluster + "-0", ready, restarts);
    }

    private Pod setPodReady(String pod, boolean ready, int restarts) {
        return client.pods().withName(pod).editStatus(p -> new PodBuilder(p).withNewStatus()
                .withPhase(ready ? "Running" : "Pending")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .addNewContainerStatus().withName("kdk").withReady(ready).withRestartCount(restarts)
                .withNewState().withNewWaiting().withReason(ready ? null : "ContainerCreating").endWaiting().endState()
                .endContainerStatus()
                .endStatus().build());
    }

    /** Creates Secret kdk-CLUSTER-kubeconfig holding {@code kubeconfig} under {@code key} (kdk uses {@code config}). */
    public void createKubeconfigSecret(String cluster, String key, String kubeconfig) {
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName("kdk-" + cluster + "-kubeconfig")
                .withNamespace(namespace).addToLabels("kdk.dev/cluster", cluster).endMetadata()
                .addToData(key, Base64.getEncoder().encodeToString(kubeconfig.getBytes(StandardCharsets.UTF_8)))
                .build()).create();
    }

    /**
     * Writes a kubeconfig for this server (context {@code mock}, a bearer token, namespace {@code ns}) to
     * {@code file}, creating its directory, for tests that go through {@link dev.kdk.kube.KubeClients} and the CLI.
     * Returns {@code file}.
     */
    public Path writeKubeconfig(Path file, String ns) {
        Map<String, Object> config = Map.of(
                "apiVersion", "v1", "kind", "Config", "current-context", "mock",
                "clusters", List.of(Map.of("name", "mock", "cluster", https
                        ? Map.of("server", url().replaceAll("/$", ""), "insecure-skip-tls-verify", true)
                        : Map.of("server", url().replaceAll("/$", "")))),
                "users", List.of(Map.of("name", "mock", "user", Map.of("token", "test-token"))),
                "contexts", List.of(Map.of("name", "mock",
                        "context", Map.of("cluster", "mock", "user", "mock", "namespace", ns))));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, new Yaml().dump(config));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        api.dropStreams();
        client.close();
        server.destroy();
    }
}
