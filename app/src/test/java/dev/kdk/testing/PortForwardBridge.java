package dev.kdk.testing;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The kubelet's side of one port-forward stream ({@code v4.channel.k8s.io}): binary frames whose first byte is the
 * channel (0 data, 1 error for the single port); the first frame on each channel carries the port as two bytes,
 * little-endian. Data is bridged to a real TCP socket. Socket work runs on its own threads, never on the mock's
 * event loop.
 */
final class PortForwardBridge extends WebSocketListener {
    private final int port;
    private final InetSocketAddress backend;
    private final String refusal;
    private final Set<PortForwardBridge> registry;
    private final ExecutorService toBackend = Executors.newSingleThreadExecutor(daemon("pf-bridge-write"));
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile WebSocket ws;
    private volatile Socket socket;

    /** @param refusal if not null, the stream opens and then reports this on the error channel, as kubelet does */
    PortForwardBridge(int port, InetSocketAddress backend, String refusal, Set<PortForwardBridge> registry) {
        this.port = port;
        this.backend = backend;
        this.refusal = refusal;
        this.registry = registry;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        ws = webSocket;
        registry.add(this);
        byte lo = (byte) (port & 0xff);
        byte hi = (byte) ((port >> 8) & 0xff);
        webSocket.send(new byte[] {0, lo, hi});
        webSocket.send(new byte[] {1, lo, hi});
        toBackend.execute(this::connect);
    }

    private void connect() {
        if (refusal != null) {
            fail(refusal);
            return;
        }
        try {
            Socket s = new Socket();
            s.connect(backend, 5000);
            s.setTcpNoDelay(true);
            socket = s;
        } catch (IOException e) {
            fail("error forwarding port " + port + ": " + e.getMessage());
            return;
        }
        Thread reader = new Thread(this::pumpFromBackend, "pf-bridge-read");
        reader.setDaemon(true);
        reader.start();
    }

    private void pumpFromBackend() {
        byte[] buf = new byte[32 * 1024 + 1];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buf, 1, buf.length - 1)) >= 0) {
                buf[0] = 0;
                ws.send(Arrays.copyOf(buf, n + 1));
            }
        } catch (IOException e) {
            // closed
        }
        close();
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != 0) {
            return;
        }
        byte[] data = Arrays.copyOfRange(bytes, 1, bytes.length);
        try {
            toBackend.execute(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(data);
                } catch (IOException | NullPointerException e) {
                    close();
                }
            });
        } catch (RuntimeException e) {
            // already closed
        }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        close();
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        close();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        close();
    }

    private void fail(String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[text.length + 1];
        frame[0] = 1;
        System.arraycopy(text, 0, frame, 1, text.length);
        ws.send(frame);
        close();
    }

    /** Ends the stream: closes the WebSocket and the backend socket. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        registry.remove(this);
        WebSocket w = ws;
        if (w != null) {
            w.close(1000, "");
        }
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        toBackend.shutdown();
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
