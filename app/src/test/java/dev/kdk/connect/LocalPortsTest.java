package dev.kdk.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.KdkException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Local port choice and the owner lookup through /proc, against real sockets. */
class LocalPortsTest {
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final LocalPortChooser chooser = new LocalPortChooser(new PortOwner());

    @Test
    void theOwnerOfAListeningPortIsThisProcess() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            assertThat(new PortOwner().describe(s.getLocalPort()))
                    .hasValueSatisfying(d -> assertThat(d).startsWith("PID " + ProcessHandle.current().pid() + " ("));
        }
    }

    @Test
    void aFreePortHasNoOwner() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            port = s.getLocalPort();
        }
        assertThat(new PortOwner().describe(port)).isEmpty();
    }

    @Test
    void anExplicitFreePortIsBoundOnTheGivenAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, loopback)) {
            port = s.getLocalPort();
        }
        LocalPortChooser.Choice c = chooser.choose(loopback, port);
        try (ServerSocket s = c.socket()) {
            assertThat(c.port()).isEqualTo(port);
            assertThat(c.note()).isNull();
            assertThat(s.getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void anExplicitBusyPortFailsNamingItsOwner() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, loopback)) {
            assertThatThrownBy(() -> chooser.choose(loopback, busy.getLocalPort()))
                    .isInstanceOf(KdkException.class)
                    .hasMessageContaining("local port " + busy.getLocalPort() + " on 127.0.0.1 is in use by PID "
                            + ProcessHandle.current().pid());
        }
    }

    @Test
    void portZeroTakesAnyAndOutOfRangeIsBadInput() {
        LocalPortChooser.Choice c = chooser.choose(loopback, 0);
        try (ServerSocket s = c.socket()) {
            assertThat(c.port()).isPositive();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> chooser.choose(loopback, 65536)).isInstanceOfSatisfying(KdkException.class,
                e -> assertThat(e.exitCode()).isEqualTo(KdkException.USAGE));
    }
}
