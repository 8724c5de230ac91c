package dev.kdk.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.testing.LoopbackServer;
import dev.kdk.testing.MockHostCluster;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The forward against the mock host API's WebSocket port-forward, bridged to a real echo server. */
@Timeout(60)
class ResilientPortForwardTest {
    private MockHostCluster host;
    private LoopbackServer echo;
    private StringWriter err;
    private ResilientPortForward forward;
    private final ClusterName name = ClusterName.parse("testing1");

    @BeforeEach
    void setUp() throws IOException {
        host = new MockHostCluster("kdk-system");
        echo = LoopbackServer.echo();
        host.api().backend(16443, echo.address());
        host.createPod("testing1", true);
        err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err, true), false);
        ClusterPodLocator locator = new ClusterPodLocator(host.client(), progress);
        PodStreams streams = new FabricPodStreams(host.client(), name, 16443, locator);
        LocalPortChooser.Choice choice = new LocalPortChooser(new PortOwner())
                .choose(InetAddress.getLoopbackAddress(), 0);
        forward = new ResilientPortForward(choice.socket(), streams,
                locator.get(name).identity(), Duration.ofSeconds(20), progress).start();
    }

    @AfterEach
    void tearDown() throws IOException {
        forward.close();
        echo.close();
        host.close();
    }

    @Test
    void carriesBytesBothWaysThroughTheWebSocketStream() throws IOException {
        assertThat(roundTrip("hello through the pod", 1)).isEqualTo("hello through the pod");
        assertEchoed(forward.localPort(), 3 * 1024 * 1024); // many WebSocket messages, more than the send queue holds
    }

    @Test
    void carriesBytesOverAHostApiServedWithTls() throws IOException {
        try (MockHostCluster tlsHost = new MockHostCluster("kdk-system", true)) {
            assertThat(tlsHost.url()).startsWith("https://");
            tlsHost.api().backend(16443, echo.address());
            tlsHost.createPod("testing1", true);
            Progress progress = new Progress(new PrintWriter(err, true), false);
            ClusterPodLocator locator = new ClusterPodLocator(tlsHost.client(), progress);
            LocalPortChooser.Choice choice = new LocalPortChooser(new PortOwner())
                    .choose(InetAddress.getLoopbackAddress(), 0);
            try (ResilientPortForward tls = new ResilientPortForward(choice.socket(),
                    new FabricPodStreams(tlsHost.client(), name, 16443, locator), null, Duration.ofSeconds(20),
                    progress).start()) {
                assertEchoed(tls.localPort(), 1024 * 1024);
            }
        }
    }

    @Test
    void thePrimedStreamCarriesTheFirstConnection() throws Exception {
        FabricPodStreams streams = replaceForwardStreams();
        int before = host.api().streamsOpened();
        streams.prime();
        waitFor(() -> host.api().streamsOpened() == before + 1);
        startForward(streams);

        assertThat(roundTrip("on the primed stream", 1)).isEqualTo("on the primed stream");
        assertThat(host.api().streamsOpened()).as("no second stream").isEqualTo(before + 1);
        assertThat(roundTrip("on a new one", 1)).isEqualTo("on a new one");
        assertThat(host.api().streamsOpened()).isEqualTo(before + 2);
    }

    @Test
    void aPrimedStreamThePodRefusedIsDroppedForANewOne() throws Exception {
        FabricPodStreams streams = replaceForwardStreams();
        host.setReady("testing1", false, 0);
        int before = host.api().streamsOpened();
        streams.prime(); // refused: the pod is not ready
        waitFor(() -> host.api().streamsOpened() == before + 1);
        Thread.sleep(300); // the refusal reaches the stream
        host.setReady("testing1", true, 0);
        startForward(streams);

        assertThat(roundTrip("after the refusal", 1)).isEqualTo("after the refusal");
        assertThat(host.api().streamsOpened()).isEqualTo(before + 2);
        assertThat(err.toString()).as("no retry was needed").doesNotContain("re-established");
    }

    @Test
    void listensOnLoopbackOnly() throws IOException {
        assertThat(forward.localAddress().isLoopbackAddress()).isTrue();
        assertThat(forward.localAddress().getHostAddress()).isEqualTo("127.0.0.1");
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
        if (external.isPresent()) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(external.get(), forward.localPort()), 2000);
                }
            }).isInstanceOf(IOException.class);
        }
    }

    @Test
    void newConnectionsWaitForTheRestartedPodAndTheForwardCarriesOn() throws Exception {
        assertThat(roundTrip("before", 1)).isEqualTo("before");
        int before = host.api().streamsOpened();

        host.setReady("testing1", false, 0);
        host.api().dropStreams();
        CompletableFuture<String> during = CompletableFuture.supplyAsync(() -> {
            try {
                return roundTrip("during the restart", 1);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // the connection is held while the pod is down: streams are refused, nothing is answered yet
        Thread.sleep(700);
        assertThat(during).isNotDone();
        host.setReady("testing1", true, 1);

        assertThat(during.get(20, TimeUnit.SECONDS)).isEqualTo("during the restart");
        assertThat(host.api().streamsOpened()).isGreaterThan(before + 1);
        assertThat(roundTrip("after", 1)).isEqualTo("after");
        waitFor(() -> err.toString().contains("pod kdk-testing1-0 restarted; forward re-established"));
        assertThat(err.toString().lines().filter(l -> l.contains("re-established")).count()).isEqualTo(1);
    }

    @Test
    void aConnectionIsDroppedWhenThePodNeverComesBack() throws Exception {
        forward.close();
        Progress progress = new Progress(new PrintWriter(err, true), false);
        ClusterPodLocator locator = new ClusterPodLocator(host.client(), progress);
        LocalPortChooser.Choice choice = new LocalPortChooser(new PortOwner())
                .choose(InetAddress.getLoopbackAddress(), 0);
        forward = new ResilientPortForward(choice.socket(), new FabricPodStreams(host.client(), name, 16443, locator),
                null, Duration.ofMillis(600), progress).start();
        host.setReady("testing1", false, 0);
        try (Socket s = connect()) {
            s.getOutputStream().write("anyone?".getBytes(StandardCharsets.UTF_8));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    /** Closes the set-up's forward; returns new pod streams for {@link #startForward}. */
    private FabricPodStreams replaceForwardStreams() {
        forward.close();
        return new FabricPodStreams(host.client(), name, 16443,
                new ClusterPodLocator(host.client(), new Progress(new PrintWriter(err, true), false)));
    }

    private void startForward(FabricPodStreams streams) throws IOException {
        forward = new ResilientPortForward(new LocalPortChooser(new PortOwner())
                .choose(InetAddress.getLoopbackAddress(), 0).socket(), streams, null, Duration.ofSeconds(20),
                new Progress(new PrintWriter(err, true), false)).start();
    }

    private Socket connect() throws IOException {
        return connect(forward.localPort());
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Sends {@code size} random bytes through the forward on {@code port} to the echo server, reading them back. */
    private static void assertEchoed(int port, int size) throws IOException {
        byte[] bytes = new byte[size];
        new java.util.Random(size).nextBytes(bytes);
        try (Socket s = connect(port)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(bytes);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] back = new byte[size];
            new DataInputStream(s.getInputStream()).readFully(back);
            writer.join();
            assertThat(back).isEqualTo(bytes);
        }
    }

    private String roundTrip(String text, int times) throws IOException {
        try (Socket s = connect()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write(bytes);
            byte[] back = new byte[bytes.length];
            new DataInputStream(s.getInputStream()).readFully(back);
            return new String(back, StandardCharsets.UTF_8);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
