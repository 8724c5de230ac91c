package dev.kdk.connect;

import dev.kdk.KdkException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Binds the local end of the forward. Default: port 16443 (what the kubeconfig in the Secret names) if free, else
 * any free port, saying who holds 16443 when that can be known. The socket is returned bound, so no other process
 * can take the port between choosing and forwarding.
 */
public final class LocalPortChooser {
    /** The port the inner API server listens on, and the preferred local port. */
    public static final int DEFAULT_PORT = 16443;

    private final PortOwner owners;

    public LocalPortChooser(PortOwner owners) {
        this.owners = owners;
    }

    /** A bound listening socket and, if the preferred port was busy, why another was chosen. */
    public record Choice(ServerSocket socket, String note) {
        public int port() {
            return socket.getLocalPort();
        }
    }

    /**
     * Binds {@code address}:{@code requested}. {@code requested} null: 16443, else any free port (the note names
     * 16443's owner). {@code requested} 0: any free port. Otherwise exactly that port, or KdkException (exit 1)
     * naming the process that holds it.
     */
    public Choice choose(InetAddress address, Integer requested) {
        if (requested != null && (requested < 0 || requested > 65535)) {
            throw new KdkException("--port " + requested + " is not a TCP port (0-65535; 0 picks any free port)",
                    KdkException.USAGE, null);
        }
        int preferred = requested == null ? DEFAULT_PORT : requested;
        try {
            return new Choice(bind(address, preferred), null);
        } catch (BindException e) {
            String holder = owners.describe(preferred).map(o -> " by " + o).orElse("");
            if (requested != null) {
                throw new KdkException("local port " + preferred + " on " + address.getHostAddress() + " is in use"
                        + holder + "; stop that process or pick another --port (0 for any)", e);
            }
            try {
                ServerSocket any = bind(address, 0);
                return new Choice(any, "port " + preferred + " is in use" + holder + "; using " + any.getLocalPort());
            } catch (IOException e2) {
                throw new KdkException("cannot listen on " + address.getHostAddress() + ": " + e2.getMessage(), e2);
            }
        } catch (IOException e) {
            throw new KdkException("cannot listen on " + address.getHostAddress() + ":" + preferred + ": "
                    + e.getMessage(), e);
        }
    }

    private static ServerSocket bind(InetAddress address, int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            // SO_REUSEADDR (Java's default on Linux) only skips TIME_WAIT leftovers of a previous run;
            // it never lets two processes listen on the same port.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 50);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
