package dev.kdk.connect;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link PodStreams} through the host API server: a {@link PortForwardStream} on the pod's {@code portforward}
 * subresource, over the fabric8 client's HTTP client (its TLS, credentials and event loop).
 */
public final class FabricPodStreams implements PodStreams {
    private final KubernetesClient client;
    private final ClusterName name;
    private final int port;
    private final ClusterPodLocator locator;
    /** Delivers the pod's bytes to local clients, off the HTTP client's event loop; idle threads end after 60 s. */
    private final ExecutorService delivery = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kdk-forward-deliver");
        t.setDaemon(true);
        return t;
    });

    /** @param port the pod's container port, 16443 for the inner API server */
    public FabricPodStreams(KubernetesClient client, ClusterName name, int port, ClusterPodLocator locator) {
        this.client = client;
        this.name = name;
        this.port = port;
        this.locator = locator;
    }

    @Override
    public String podName() {
        return name.podName();
    }

    @Override
    public PortForwardStream open(PortForwardStream.Receiver receiver) {
        URI uri = URI.create(URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces",
                client.getNamespace(), "pods", name.podName(), "portforward") + "?ports=" + port);
        return PortForwardStream.open(client.getHttpClient(), uri, receiver, delivery);
    }

    @Override
    public String awaitReady(Duration timeout) {
        PodState pod = locator.awaitReadyQuietly(name, timeout);
        return pod == null ? null : pod.identity();
    }
}
