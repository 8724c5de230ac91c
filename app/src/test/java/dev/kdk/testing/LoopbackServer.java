package dev.kdk.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP server on a free port of 127.0.0.1 that runs one {@link Handler} per accepted connection, each on its own
 * daemon thread; stands in for a pod's port behind the mock's port-forward. {@link #echo()} and {@link #bulk()} are
 * the two kinds tests use.
 */
public final class LoopbackServer implements AutoCloseable {
    /** Serves one connection; the socket is closed when it returns or throws (an IOException means the peer left). */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final String name;
    private final Handler handler;

    private LoopbackServer(String name, Handler handler) throws IOException {
        this.name = name;
        this.handler = handler;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, name + "-accept");
        t.setDaemon(true);
        t.start();
    }

    /** Echoes every byte back. */
    public static LoopbackServer echo() throws IOException {
        return new LoopbackServer("echo", LoopbackServer::echo);
    }

    /**
     * For throughput measurements. The client sends one byte of mode and 8 bytes of size (big-endian): mode 'D'
     * (download): the server writes that many bytes and closes; mode 'U' (upload): the server reads that many bytes,
     * then answers one byte.
     */
    public static LoopbackServer bulk() throws IOException {
        return new LoopbackServer("bulk", LoopbackServer::bulk);
    }

    /**
     * {@link #bulk()} when the client's first byte is a bulk mode ('D' or 'U'); any other connection (a TLS
     * ClientHello, say) is relayed byte for byte to {@code other}. Lets one pod port serve both kdk's TLS probe and
     * throughput measurements.
     */
    public static LoopbackServer bulkOr(InetSocketAddress other) throws IOException {
        return new LoopbackServer("bulk-or-relay", s -> {
            PushbackInputStream in = new PushbackInputStream(s.getInputStream(), 1);
            int first = in.read();
            if (first < 0) {
                return;
            }
            in.unread(first);
            if (first == 'D' || first == 'U') {
                bulk(s, in);
            } else {
                relay(s, in, other);
            }
        });
    }

    /** Where the server listens: 127.0.0.1 and its port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), name);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            handler.serve(s);
        } catch (IOException e) {
            // client gone
        }
    }

    private static void echo(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
    }

    private static void bulk(Socket s) throws IOException {
        bulk(s, s.getInputStream());
    }

    private static void bulk(Socket s, InputStream raw) throws IOException {
        DataInputStream in = new DataInputStream(raw);
        OutputStream out = s.getOutputStream();
        int mode = in.readUnsignedByte();
        long size = in.readLong();
        byte[] buf = new byte[64 * 1024];
        if (mode == 'D') {
            for (long left = size; left > 0; left -= buf.length) {
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
            out.flush();
            return;
        }
        long left = size;
        while (left > 0) {
            int n = raw.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
        out.write(1);
        out.flush();
        in.read(); // wait for the client to close, so the answer is not cut off
    }

    /** Copies {@code in} (the client's bytes) to a new connection to {@code other}, and its answers back. */
    private static void relay(Socket s, InputStream in, InetSocketAddress other) throws IOException {
        try (Socket o = new Socket()) {
            o.connect(other, 5000);
            Thread back = new Thread(() -> {
                try {
                    o.getInputStream().transferTo(s.getOutputStream());
                } catch (IOException e) {
                    // either side gone
                }
                close(s);
            }, "relay-back");
            back.setDaemon(true);
            back.start();
            in.transferTo(o.getOutputStream());
            o.shutdownOutput();
            try {
                back.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
