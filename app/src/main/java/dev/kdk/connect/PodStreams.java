package dev.kdk.connect;

import io.fabric8.kubernetes.client.PortForward;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;

/** The pod end of a forward: opens one stream to the pod's port, and waits for the pod to be Ready again. */
public interface PodStreams {
    /** The pod's name, for messages. */
    String podName();

    /**
     * Opens one stream to the pod's port (asynchronously): bytes read from {@code in} go to the pod, bytes from the
     * pod are written to {@code out}; {@code out} is closed when the stream ends or fails to open.
     */
    PortForward open(ReadableByteChannel in, WritableByteChannel out);

    /**
     * Waits at most {@code timeout} for the pod to exist and be Ready; returns an identity of that pod incarnation
     * (its UID and restart count) or null if the time passed.
     */
    String awaitReady(Duration timeout);
}
