package dev.kdk.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * A fabric8 {@link KubernetesMockServer} in CRUD mode whose dispatcher is {@link SsaCrudDispatcher} (server-side
 * apply, dryRun, namespace checks, injected failures, request journal). Plain HTTP on 127.0.0.1, random port.
 */
public final class KdkMockServer implements AutoCloseable {
    /** Held so the JUL logger (and its level) is not garbage-collected: the mock logs every request at INFO. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final SsaCrudDispatcher api = new SsaCrudDispatcher();
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    public KdkMockServer() {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), api, false);
        server.init();
        client = server.createClient();
    }

    /** The dispatcher: store, journal, fault injection. */
    public SsaCrudDispatcher api() {
        return api;
    }

    /** A client on namespace "test" (the mock's default); closed with the server. */
    public KubernetesClient client() {
        return client;
    }

    /** Base URL of the API, e.g. {@code http://localhost:41234/}. */
    public String url() {
        return server.url("/");
    }

    /**
     * Writes a kubeconfig for this server (context {@code mock}, namespace {@code ns}) to {@code file}, mode 0600,
     * for tests that go through {@link dev.kdk.kube.KubeClients} and the CLI.
     */
    public Path writeKubeconfig(Path file, String ns) throws IOException {
        String text = String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: " + url().replaceAll("/$", ""),
                "users:",
                "- name: mock",
                "  user:",
                "    token: test-token",
                "contexts:",
                "- name: mock",
                "  context:",
                "    cluster: mock",
                "    user: mock",
                "    namespace: " + ns,
                "current-context: mock",
                "");
        Files.writeString(file, text);
        return file;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
