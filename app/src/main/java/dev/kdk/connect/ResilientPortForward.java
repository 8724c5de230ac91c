package dev.kdk.connect;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Forwards a local listening socket (bound by the caller, normally to 127.0.0.1) to a pod's port, one pod stream
 * per accepted connection. It outlives the pod: when streams fail because the pod restarts or is recreated, new
 * connections wait (at most {@code reconnectTimeout}) for the pod to be Ready again, on the same local port, and
 * one line says so on stderr once the pod answers again. Close it to stop listening and drop every connection.
 */
public final class ResilientPortForward implements AutoCloseable {
    private final ServerSocket server;
    private final PodStreams pod;
    private final Duration reconnectTimeout;
    private final Progress progress;
    private final ExecutorService waiters;
    private final Set<ForwardedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean broken = new AtomicBoolean();
    private volatile String podIdentity;
    private volatile Throwable lastFailure;
    private Thread acceptor;

    /**
     * @param server           the bound local socket; this forward owns and closes it
     * @param pod              the pod end
     * @param podIdentity      identity of the pod incarnation at start (see {@link PodState#identity}), or null
     * @param reconnectTimeout how long a connection waits for the pod to be Ready again after a failed stream
     * @param progress         where the "re-established" line goes
     */
    public ResilientPortForward(ServerSocket server, PodStreams pod, String podIdentity, Duration reconnectTimeout,
            Progress progress) {
        this.server = server;
        this.pod = pod;
        this.podIdentity = podIdentity;
        this.reconnectTimeout = reconnectTimeout;
        this.progress = progress;
        this.waiters = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kdk-forward-wait");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts accepting connections on a daemon thread; returns this. */
    public ResilientPortForward start() {
        acceptor = new Thread(this::acceptLoop, "kdk-forward-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /** The local port connections are accepted on. */
    public int localPort() {
        return server.getLocalPort();
    }

    /** The local address the socket is bound to (127.0.0.1 unless --address said otherwise). */
    public InetAddress localAddress() {
        return server.getInetAddress();
    }

    /** Why the most recent pod stream failed before the pod answered, if one did. */
    public java.util.Optional<Throwable> lastFailure() {
        return java.util.Optional.ofNullable(lastFailure);
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    progress.warn("port forward on " + server.getInetAddress().getHostAddress() + ":"
                            + server.getLocalPort() + " stopped accepting connections: " + e.getMessage());
                }
                return;
            }
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                // only a latency hint
            }
            ForwardedConnection c = new ForwardedConnection(socket, pod, waiters, reconnectTimeout, listener);
            connections.add(c);
            if (closed.get()) {
                c.close();
                return;
            }
            c.start();
        }
    }

    private final ForwardedConnection.Listener listener = new ForwardedConnection.Listener() {
        @Override
        public void broken(Throwable cause) {
            broken.set(true);
            if (cause != null) {
                lastFailure = cause;
            }
        }

        @Override
        public void answered() {
            if (broken.compareAndSet(true, false) && !closed.get()) {
                waiters.execute(() -> {
                    String now = pod.awaitReady(Duration.ofSeconds(5));
                    boolean restarted = now != null && podIdentity != null && !now.equals(podIdentity);
                    if (now != null) {
                        podIdentity = now;
                    }
                    progress.warn(restarted ? "pod " + pod.podName() + " restarted; forward re-established"
                            : "stream to pod " + pod.podName() + " broke; forward re-established");
                });
            }
        }

        @Override
        public void finished(ForwardedConnection connection) {
            connections.remove(connection);
        }
    };

    /** Stops listening, drops every connection and its pod stream. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (ForwardedConnection c : connections) {
            c.close();
        }
        waiters.shutdownNow();
        if (acceptor != null) {
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
