package dev.kdk.connect;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.URLUtils;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link PodStreams} through the host API server: a {@link PortForwardStream} on the pod's {@code portforward}
 * subresource, over the fabric8 client's HTTP client (its TLS, credentials and event loop). {@link #prime()} opens
 * one stream ahead of need, for the first connection to take.
 */
public final class FabricPodStreams implements PodStreams {
    private final KubernetesClient client;
    private final ClusterName name;
    private final ClusterPodLocator locator;
    /** The pod's WebSocket endpoint: {@code .../api/v1/namespaces/NS/pods/POD/portforward?ports=PORT}. */
    private final URI portForward;
    /** Delivers the pod's bytes to local clients, off the HTTP client's event loop; idle threads end after 60 s. */
    private final ExecutorService delivery = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kdk-forward-deliver");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<Spare> spare = new AtomicReference<>();

    /** @param port the pod's container port, 16443 for the inner API server */
    public FabricPodStreams(KubernetesClient client, ClusterName name, int port, ClusterPodLocator locator) {
        this.client = client;
        this.name = name;
        this.locator = locator;
        this.portForward = URI.create(URLUtils.join(client.getMasterUrl().toString(), "api", "v1", "namespaces",
                client.getNamespace(), "pods", name.podName(), "portforward") + "?ports=" + port);
    }

    @Override
    public String podName() {
        return name.podName();
    }

    /**
     * Opens a stream now, before any connection needs it, so that its TCP and TLS handshakes and WebSocket upgrade
     * overlap other work (connect reads the Secret and the pod meanwhile). The next {@link #open} takes it if it is
     * still open and the pod has sent nothing on it; a stream that failed (the pod not ready yet, say) is dropped
     * and {@link #open} opens a new one, which reports the failure as usual.
     */
    public void prime() {
        Spare s = new Spare();
        s.stream = newStream(s);
        Spare previous = spare.getAndSet(s);
        if (previous != null) {
            previous.stream.close();
        }
    }

    @Override
    public PortForwardStream open(PortForwardStream.Receiver receiver) {
        Spare s = spare.getAndSet(null);
        if (s != null) {
            if (s.adopt(receiver)) {
                return s.stream;
            }
            s.stream.close();
        }
        return newStream(receiver);
    }

    private PortForwardStream newStream(PortForwardStream.Receiver receiver) {
        return PortForwardStream.open(client.getHttpClient(), portForward, receiver, delivery);
    }

    @Override
    public String awaitReady(Duration timeout) {
        PodState pod = locator.awaitReadyQuietly(name, timeout);
        return pod == null ? null : pod.identity();
    }

    /** The receiver of a primed stream: hands everything to the connection that takes it. */
    private static final class Spare implements PortForwardStream.Receiver {
        PortForwardStream stream;
        private PortForwardStream.Receiver taker;
        private boolean over;

        /** Gives the stream to {@code receiver}; false if it is over or the pod spoke before anyone took it. */
        synchronized boolean adopt(PortForwardStream.Receiver receiver) {
            if (over) {
                return false;
            }
            taker = receiver;
            return true;
        }

        @Override
        public void received(ByteBuffer data) throws IOException {
            PortForwardStream.Receiver r;
            synchronized (this) {
                if (taker == null) {
                    over = true; // bytes for a connection that does not exist yet: this stream is no use
                    throw new IOException("the pod sent data on a stream no connection had taken");
                }
                r = taker;
            }
            r.received(data);
        }

        @Override
        public void ended(Throwable cause) {
            PortForwardStream.Receiver r;
            synchronized (this) {
                over = true;
                r = taker;
            }
            if (r != null) {
                r.ended(cause);
            }
        }
    }
}
