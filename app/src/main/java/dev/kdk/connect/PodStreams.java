package dev.kdk.connect;

import java.time.Duration;

/** The pod end of a forward: opens one stream to the pod's port, and waits for the pod to be Ready again. */
public interface PodStreams {
    /** The pod's name, for messages. */
    String podName();

    /**
     * Opens one stream to the pod's port, asynchronously: the pod's bytes go to {@code receiver}, and its
     * {@link PortForwardStream.Receiver#ended} is called once when the stream ends or fails to open.
     */
    PortForwardStream open(PortForwardStream.Receiver receiver);

    /**
     * Waits at most {@code timeout} for the pod to exist and be Ready; returns an identity of that pod incarnation
     * (its UID and restart count) or null if the time passed.
     */
    String awaitReady(Duration timeout);
}
