package dev.kdk.connect;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.PortForward;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;

/**
 * {@link PodStreams} through the host API server: fabric8's channel-based {@code portForward(port, in, out)}
 * (WebSocket {@code v4.channel.k8s.io}), which opens no local listener of its own.
 */
public final class FabricPodStreams implements PodStreams {
    private final KubernetesClient client;
    private final ClusterName name;
    private final int port;
    private final ClusterPodLocator locator;

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
    public PortForward open(ReadableByteChannel in, WritableByteChannel out) {
        return client.pods().inNamespace(client.getNamespace()).withName(name.podName()).portForward(port, in, out);
    }

    @Override
    public String awaitReady(Duration timeout) {
        Pod pod = locator.awaitReadyQuietly(name, timeout);
        return pod == null ? null : identity(pod);
    }

    /** UID plus the sum of container restart counts: changes when the pod is recreated or its container restarts. */
    public static String identity(Pod pod) {
        int restarts = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? 0
                : pod.getStatus().getContainerStatuses().stream().mapToInt(cs -> cs.getRestartCount() == null ? 0
                        : cs.getRestartCount()).sum();
        return pod.getMetadata().getUid() + "/" + restarts;
    }
}
