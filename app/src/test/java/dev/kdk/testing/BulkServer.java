package dev.kdk.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP server on 127.0.0.1 for throughput measurements. The client sends one byte of mode and 8 bytes of size:
 * mode 'D' (download): the server writes that many bytes and closes; mode 'U' (upload): the server reads that
 * many bytes, then answers one byte.
 */
public final class BulkServer implements AutoCloseable {
    private final ServerSocket server;

    public BulkServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "bulk-accept");
        t.setDaemon(true);
        t.start();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "bulk");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            int mode = in.readUnsignedByte();
            long size = in.readLong();
            byte[] buf = new byte[64 * 1024];
            if (mode == 'D') {
                for (long left = size; left > 0; left -= buf.length) {
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
                out.flush();
            } else {
                InputStream raw = s.getInputStream();
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
                // wait for the client to close, so the answer is not cut off
                in.read();
            }
        } catch (IOException e) {
            // client gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
