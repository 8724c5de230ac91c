package dev.kdk.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * One accepted local connection, carried over one pod stream at a time. Until the pod has sent its first byte the
 * client's bytes are kept (at most {@link #REPLAY_LIMIT}); if the stream dies before that (pod restarting, stream
 * refused), a new stream is opened once the pod is Ready again and the kept bytes are replayed, so the client
 * (say, a TLS handshake) never notices. After the first byte from the pod, the end of the stream ends the
 * connection, as a plain forward would.
 *
 * <p>Threads: one reader per connection reads the client's bytes and sends them on the current stream (waiting while
 * its WebSocket queue is full); the stream's delivery thread writes the pod's bytes to the client socket.
 */
final class ForwardedConnection {
    /** Client bytes kept for replay before the pod answers; a TLS ClientHello or an HTTP request fits easily. */
    static final int REPLAY_LIMIT = 256 * 1024;
    /** At most this many streams per connection, so a pod that is Ready but refuses cannot spin. */
    static final int MAX_ATTEMPTS = 8;
    /** Bytes read from the client at a time: two full WebSocket messages. */
    private static final int READ_SIZE = 2 * PortForwardStream.MAX_MESSAGE_DATA;
    private static final Duration SLICE = Duration.ofSeconds(2);

    private final Socket socket;
    private final PodStreams pod;
    private final Executor waiter;
    private final Duration reconnectTimeout;
    private final Listener listener;

    private final Object lock = new Object();
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private boolean replayable = true;
    private volatile boolean answered;
    private Attempt current;
    private int attempts;
    private boolean finished;

    /** What the owning forward learns from a connection. */
    interface Listener {
        /** A stream failed before the pod answered ({@code cause} null if unknown); it may be retried. */
        void broken(Throwable cause);

        /** The pod answered on a stream. */
        void answered();

        /** The connection is over. */
        void finished(ForwardedConnection connection);
    }

    ForwardedConnection(Socket socket, PodStreams pod, Executor waiter, Duration reconnectTimeout, Listener listener) {
        this.socket = socket;
        this.pod = pod;
        this.waiter = waiter;
        this.reconnectTimeout = reconnectTimeout;
        this.listener = listener;
    }

    /** Opens the first stream and starts the reader thread. */
    void start() {
        startAttempt();
        Thread reader = new Thread(this::readClient, "kdk-forward-reader-" + socket.getPort());
        reader.setDaemon(true);
        reader.start();
    }

    /** Ends the connection: closes the stream and the client socket. Idempotent. */
    void close() {
        Attempt a;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            a = current;
            current = null;
            lock.notifyAll();
        }
        if (a != null) {
            a.kill();
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        listener.finished(this);
    }

    private void startAttempt() {
        Attempt a = new Attempt();
        synchronized (lock) {
            if (finished) {
                return;
            }
            attempts++;
        }
        PortForwardStream stream;
        try {
            stream = pod.open(a);
        } catch (RuntimeException e) {
            a.ended(e);
            return;
        }
        synchronized (lock) {
            a.stream = stream;
            if (finished) {
                stream.close();
                return;
            }
            if (a.over) {
                return; // it failed already; attemptEnded has decided what comes next
            }
            current = a;
            lock.notifyAll();
        }
        a.deliver(null, 0, 0);
    }

    private void finishLater() {
        try {
            waiter.execute(this::close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            close(); // the forward is shutting down
        }
    }

    /** Copies client bytes to the current stream; keeps them for replay until the pod answers. */
    private void readClient() {
        byte[] buf = new byte[READ_SIZE];
        try {
            InputStream in = socket.getInputStream();
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                boolean keep;
                synchronized (lock) {
                    keep = !answered && replayable;
                    if (keep) {
                        if (kept.size() + n > REPLAY_LIMIT) {
                            replayable = false;
                            keep = false;
                        } else {
                            kept.write(buf, 0, n);
                        }
                    }
                }
                if (!deliver(keep ? null : buf, n)) {
                    break;
                }
            }
        } catch (IOException e) {
            // client gone or socket closed by close()
        }
        close();
    }

    /**
     * Delivers bytes to the current stream: the kept bytes it has not seen yet, then {@code chunk} (null when the
     * chunk is among the kept bytes). Waits for a stream while the connection is between streams.
     * Returns false when the connection is over.
     */
    private boolean deliver(byte[] chunk, int n) {
        while (true) {
            Attempt a;
            synchronized (lock) {
                while (!finished && current == null) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                if (finished) {
                    return false;
                }
                a = current;
            }
            if (a.deliver(chunk, 0, n)) {
                return true;
            }
            // that stream died; kept bytes go to the next one, others cannot be replayed
            synchronized (lock) {
                if (chunk != null || answered || !replayable) {
                    return false;
                }
                if (current == a) {
                    current = null;
                }
            }
        }
    }

    /** Called once per stream when it ends (fabric8 closed its output channel). */
    private void attemptEnded(Attempt a, Throwable cause) {
        boolean retry;
        synchronized (lock) {
            a.over = true;
            if (current == a) {
                current = null;
            }
            retry = !finished && !answered && replayable && attempts < MAX_ATTEMPTS
                    && !StreamFailures.isPermanent(cause);
        }
        if (!answered) {
            listener.broken(cause);
        }
        if (!retry) {
            finishLater();
            return;
        }
        try {
            waiter.execute(this::retry);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            close(); // the forward is shutting down
        }
    }

    /** Waits for the pod to be Ready again (bounded), then opens the next stream; on the waiter executor. */
    private void retry() {
        int n;
        synchronized (lock) {
            n = attempts;
        }
        // wait a little longer each time: a pod that is Ready may still refuse for a moment while it starts
        sleep(Math.min(2000, 100L << Math.min(n - 1, 5)));
        // wait in short slices so a client that gave up (closed) stops the wait early
        long deadline = System.nanoTime() + reconnectTimeout.toNanos();
        while (true) {
            synchronized (lock) {
                if (finished) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                close();
                return;
            }
            if (pod.awaitReady(Duration.ofNanos(Math.min(left, SLICE.toNanos()))) != null) {
                startAttempt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One stream to the pod; receives the pod's bytes for the client socket. */
    private final class Attempt implements PortForwardStream.Receiver {
        /** Set under {@code lock} once the stream is open (before it becomes {@code current}). */
        PortForwardStream stream;
        /** Set under {@code lock} when the stream has ended. */
        boolean over;
        /** Kept bytes this stream has had (guarded by this). */
        int sent;

        /** Sends the kept bytes this stream has not had, then {@code chunk}; false if the stream is over. */
        synchronized boolean deliver(byte[] chunk, int off, int n) {
            byte[] pending;
            synchronized (lock) {
                pending = kept.size() > sent ? kept.toByteArray() : null;
            }
            if (pending != null) {
                if (!stream.send(pending, sent, pending.length - sent)) {
                    return false;
                }
                sent = pending.length;
            }
            return chunk == null || stream.send(chunk, off, n);
        }

        @Override
        public void received(ByteBuffer data) throws IOException {
            if (!answered) {
                synchronized (lock) {
                    answered = true;
                    kept.reset();
                }
                listener.answered();
            }
            OutputStream out = socket.getOutputStream();
            if (data.hasArray()) {
                out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            } else {
                byte[] copy = new byte[data.remaining()];
                data.get(copy);
                out.write(copy);
            }
        }

        @Override
        public void ended(Throwable cause) {
            attemptEnded(this, cause);
        }

        void kill() {
            PortForwardStream s;
            synchronized (lock) {
                over = true;
                s = stream;
            }
            if (s != null) {
                s.close();
            }
        }
    }
}
