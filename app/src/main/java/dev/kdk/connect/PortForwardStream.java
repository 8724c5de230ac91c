package dev.kdk.connect;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * One port-forward stream to a pod's port, over the API server's WebSocket protocol {@code v4.channel.k8s.io}
 * through fabric8's HTTP client (which brings the kubeconfig's TLS and credentials). Each binary message starts with
 * a channel byte: 0 carries data, 1 carries the pod side's error text; the first message on each channel holds the
 * port as two bytes, little-endian.
 *
 * <p>Unlike fabric8's own {@code portForward(port, in, out)}, which sends 4 KiB messages and never waits for the
 * WebSocket to drain, {@link #send} sends messages of up to {@link #MAX_MESSAGE_DATA} bytes and waits while more
 * than {@link #MAX_QUEUED} bytes are queued, so a large upload holds a bounded amount of memory.
 *
 * <p>Bytes from the pod are handed to the {@link Receiver} on {@code executor}, one message at a time, in order. The
 * next message is requested from the WebSocket at once while fewer than {@link #RECEIVE_WINDOW} wait for the
 * receiver, else when the receiver has taken one: that is what pushes back on a fast download, and the event loop
 * decrypts the next message while the receiver writes the last. The end of the stream is reported after the last
 * data.
 */
public final class PortForwardStream implements WebSocket.Listener {
    /** The subprotocol the API server and kubelet speak for port-forward streams. */
    public static final String PROTOCOL = "v4.channel.k8s.io";
    /** Data bytes per message sent (a frame of 32 KiB with the channel byte, within any server's frame limit). */
    static final int MAX_MESSAGE_DATA = 32 * 1024 - 1;
    /** Bytes queued in the WebSocket (sent, not yet written to the network) above which {@link #send} waits. */
    static final long MAX_QUEUED = 256 * 1024;
    private static final long DRAIN_POLL_NANOS = 200_000;
    /** Messages from the pod taken from the WebSocket but not yet handed to the receiver, at most. */
    static final int RECEIVE_WINDOW = 4;

    /** Where the pod's bytes and the end of the stream go. */
    public interface Receiver {
        /**
         * Bytes from the pod, in order; the next call comes only after this one returns.
         * @throws IOException if they cannot be delivered (the local client left), which ends the stream
         */
        void received(ByteBuffer data) throws IOException;

        /** Called once when the stream is over, after the last {@link #received}: cause null for a normal close. */
        void ended(Throwable cause);
    }

    private final Receiver receiver;
    private final Executor executor;
    /** Guards sending; holds the message being sent, reused. */
    private final byte[] message = new byte[MAX_MESSAGE_DATA + 1];
    private final boolean[] portSeen = new boolean[2];
    private CompletableFuture<WebSocket> socket;
    /** The receiver's work, chained so that it runs in order (guarded by this). */
    private CompletableFuture<Void> receiving = CompletableFuture.completedFuture(null);
    private boolean endReported;
    /** Messages queued for the receiver (guarded by this). */
    private int queuedMessages;
    /** Whether the next message is still to be requested, because the queue was full (guarded by this). */
    private boolean requestOwed;
    private volatile boolean over;
    private volatile boolean closedByUs;

    private PortForwardStream(Receiver receiver, Executor executor) {
        this.receiver = receiver;
        this.executor = executor;
    }

    /**
     * Opens a stream (asynchronously) to the WebSocket endpoint {@code uri}, a pod's
     * {@code .../pods/NAME/portforward?ports=PORT}.
     * @param executor runs the receiver's calls; never fabric8's event loop, so a slow local client cannot stall it
     */
    public static PortForwardStream open(HttpClient http, URI uri, Receiver receiver, Executor executor) {
        PortForwardStream stream = new PortForwardStream(receiver, executor);
        return stream.over(http.newWebSocketBuilder().uri(uri).subprotocol(PROTOCOL).buildAsync(stream));
    }

    /** A stream over {@code socket}, which completes when this listener's WebSocket is open (tests build one). */
    static PortForwardStream over(CompletableFuture<WebSocket> socket, Receiver receiver, Executor executor) {
        return new PortForwardStream(receiver, executor).over(socket);
    }

    private PortForwardStream over(CompletableFuture<WebSocket> opening) {
        synchronized (this) {
            socket = opening;
        }
        opening.whenComplete((ws, failure) -> {
            if (failure != null) {
                end(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
        return this;
    }

    /**
     * Sends {@code len} bytes of {@code b} to the pod, in messages of at most {@link #MAX_MESSAGE_DATA} bytes. Waits
     * for the stream to open, and while the WebSocket's queue is full. Returns false, having sent nothing more, once
     * the stream is over (it failed to open, the pod side closed it, or {@link #close} was called).
     */
    public boolean send(byte[] b, int off, int len) {
        WebSocket ws = awaitOpen();
        if (ws == null) {
            return false;
        }
        synchronized (message) {
            for (int at = off, end = off + len; at < end; ) {
                while (ws.queueSize() > MAX_QUEUED) {
                    if (over) {
                        return false;
                    }
                    // fabric8's WebSocket tells how much is queued but gives no callback when it drains
                    LockSupport.parkNanos(DRAIN_POLL_NANOS);
                }
                if (over) {
                    return false;
                }
                int n = Math.min(MAX_MESSAGE_DATA, end - at);
                System.arraycopy(b, at, message, 1, n); // byte 0 stays 0: the data channel
                // every fabric8 WebSocket copies the bytes before send returns (its own port-forward relies on it)
                if (!ws.send(ByteBuffer.wrap(message, 0, n + 1))) {
                    end(new IOException("the port-forward WebSocket refused more data"));
                    return false;
                }
                at += n;
            }
            return true;
        }
    }

    /** Closes the stream from this side; the receiver is not told. Idempotent. */
    public void close() {
        closedByUs = true;
        over = true;
        CompletableFuture<WebSocket> s;
        synchronized (this) {
            s = socket;
        }
        if (s != null) {
            s.thenAccept(ws -> ws.sendClose(1000, "closed by kdk"));
        }
    }

    private WebSocket awaitOpen() {
        CompletableFuture<WebSocket> s;
        synchronized (this) {
            s = socket;
        }
        try {
            return over ? null : s.join();
        } catch (CompletionException | CancellationException e) {
            return null;
        }
    }

    @Override
    public void onMessage(WebSocket ws, ByteBuffer frame) {
        if (!frame.hasRemaining()) {
            ws.request();
            return;
        }
        int channel = frame.get();
        if (channel != 0 && channel != 1) {
            fail(ws, new IOException("the port-forward stream sent a message on unknown channel " + channel));
            return;
        }
        if (!portSeen[channel]) { // only the event loop touches portSeen
            portSeen[channel] = true;
            frame.position(Math.min(frame.limit(), frame.position() + 2));
        }
        if (!frame.hasRemaining()) {
            ws.request();
        } else if (channel == 1) {
            fail(ws, new IOException("the pod side of the port forward reported: "
                    + StandardCharsets.UTF_8.decode(frame).toString().trim()));
        } else {
            boolean askNow;
            synchronized (this) {
                queuedMessages++;
                askNow = queuedMessages < RECEIVE_WINDOW;
                requestOwed = !askNow;
            }
            inOrder(() -> {
                if (closedByUs) {
                    return;
                }
                try {
                    receiver.received(frame);
                } catch (IOException | RuntimeException e) {
                    fail(ws, e);
                    return;
                }
                boolean askLater;
                synchronized (this) {
                    queuedMessages--;
                    askLater = requestOwed;
                    requestOwed = false;
                }
                if (askLater) {
                    ws.request();
                }
            });
            if (askNow) {
                ws.request();
            }
        }
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
        fail(ws, new IOException("the port-forward stream sent a text message; " + PROTOCOL + " uses binary ones"));
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason) {
        end(null);
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
        end(error);
    }

    private void fail(WebSocket ws, Throwable cause) {
        end(cause);
        ws.sendClose(1000, "closed by kdk");
    }

    /** Marks the stream over and tells the receiver (once), after any data it is still taking. */
    private void end(Throwable cause) {
        synchronized (this) {
            if (endReported) {
                return;
            }
            endReported = true;
            over = true;
        }
        inOrder(() -> {
            if (!closedByUs) {
                receiver.ended(cause);
            }
        });
    }

    /** Runs {@code step} on the executor after the steps queued before it (even if one of those threw). */
    private synchronized void inOrder(Runnable step) {
        receiving = receiving.exceptionally(ignored -> null).thenRunAsync(step, executor);
    }
}
