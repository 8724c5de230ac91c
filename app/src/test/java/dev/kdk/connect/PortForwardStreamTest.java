package dev.kdk.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.WebSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The v4.channel.k8s.io framing, flow control and end-of-stream order of {@link PortForwardStream}. */
@Timeout(30)
class PortForwardStreamTest {
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final FakeWebSocket ws = new FakeWebSocket();
    private final Recorder recorder = new Recorder();

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    @Test
    void sendSplitsBytesIntoDataChannelMessagesInOrder() {
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.completedFuture(ws), recorder, executor);
        byte[] data = pattern(100_000);

        assertThat(stream.send(data, 0, data.length)).isTrue();

        assertThat(ws.sent).hasSize(4); // 3 × 32767 + 1699
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] message : ws.sent) {
            assertThat(message[0]).as("channel byte").isZero();
            assertThat(message.length).isLessThanOrEqualTo(PortForwardStream.MAX_MESSAGE_DATA + 1);
            joined.write(message, 1, message.length - 1);
        }
        assertThat(joined.toByteArray()).isEqualTo(data);
    }

    @Test
    void sendWaitsWhileTheWebSocketQueueIsFullAndGivesUpWhenClosed() throws Exception {
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.completedFuture(ws), recorder, executor);
        byte[] data = pattern((int) PortForwardStream.MAX_QUEUED * 3);

        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> stream.send(data, 0, data.length));
        Thread.sleep(300);
        assertThat(first).as("a full queue holds the sender").isNotDone();
        assertThat(ws.queued.get()).isLessThanOrEqualTo(PortForwardStream.MAX_QUEUED
                + PortForwardStream.MAX_MESSAGE_DATA + 1);

        ws.drainContinuously();
        assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ws.dataBytes()).isEqualTo(data.length);

        ws.stopDraining();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> stream.send(data, 0, data.length));
        Thread.sleep(300);
        assertThat(second).isNotDone();
        stream.close();
        assertThat(second.get(10, TimeUnit.SECONDS)).as("nothing more is sent once closed").isFalse();
        assertThat(ws.closeCode.get()).isEqualTo(1000);
    }

    @Test
    void portHeadersAreDroppedAndDataArrivesInOrderBeforeTheEnd() throws Exception {
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.completedFuture(ws), recorder, executor);

        stream.onMessage(ws, ByteBuffer.wrap(new byte[] {0, (byte) 0x3b, 0x40})); // 16443, little-endian
        stream.onMessage(ws, ByteBuffer.wrap(new byte[] {1, (byte) 0x3b, 0x40}));
        stream.onMessage(ws, message(0, "hello, "));
        stream.onMessage(ws, message(0, "pod"));
        stream.onClose(ws, 1000, "");

        assertThat(recorder.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.events).containsExactly("data:hello, ", "data:pod", "end:null");
        assertThat(ws.requests.get()).as("one request per message taken").isEqualTo(4);
        assertThat(stream.send(new byte[] {1}, 0, 1)).isFalse();
    }

    @Test
    void aSlowReceiverHoldsBackRequestsOnceTheWindowIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        PortForwardStream.Receiver slow = new PortForwardStream.Receiver() {
            @Override
            public void received(ByteBuffer data) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                recorder.received(data);
            }

            @Override
            public void ended(Throwable why) {
                recorder.ended(why);
            }
        };
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.completedFuture(ws), slow, executor);
        stream.onMessage(ws, ByteBuffer.wrap(new byte[] {0, (byte) 0x3b, 0x40}));
        int afterHeader = ws.requests.get();

        for (int i = 1; i <= PortForwardStream.RECEIVE_WINDOW; i++) {
            stream.onMessage(ws, message(0, "m" + i));
        }
        assertThat(ws.requests.get() - afterHeader).as("requested while the receiver is stuck")
                .isEqualTo(PortForwardStream.RECEIVE_WINDOW - 1);

        release.countDown();
        stream.onClose(ws, 1000, "");
        assertThat(recorder.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ws.requests.get() - afterHeader).as("the owed request, once the receiver took one")
                .isEqualTo(PortForwardStream.RECEIVE_WINDOW);
        assertThat(recorder.events).containsExactly("data:m1", "data:m2", "data:m3", "data:m4", "end:null");
    }

    @Test
    void theErrorChannelEndsTheStreamWithThePodSidesText() throws Exception {
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.completedFuture(ws), recorder, executor);

        stream.onMessage(ws, ByteBuffer.wrap(new byte[] {0, (byte) 0x3b, 0x40}));
        stream.onMessage(ws, ByteBuffer.wrap(new byte[] {1, (byte) 0x3b, 0x40}));
        stream.onMessage(ws, message(1, "error forwarding port 16443 to pod kdk-testing1-0: connection refused"));

        assertThat(recorder.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.cause.get()).hasMessageContaining("connection refused");
        assertThat(ws.closeCode.get()).isEqualTo(1000);
    }

    @Test
    void aReceiverThatCannotDeliverEndsTheStream() throws Exception {
        IOException gone = new IOException("the local client left");
        recorder.failWith = gone;
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.completedFuture(ws), recorder, executor);

        stream.onMessage(ws, message(0, "xxdata")); // first message on channel 0: two port bytes, then data

        assertThat(recorder.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.cause.get()).isSameAs(gone);
        assertThat(ws.closeCode.get()).isEqualTo(1000);
    }

    @Test
    void aStreamThatFailsToOpenReportsWhyAndTakesNoData() throws Exception {
        IOException refused = new IOException("403 Forbidden");
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.failedFuture(refused), recorder, executor);

        assertThat(recorder.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(recorder.cause.get()).isSameAs(refused);
        assertThat(stream.send(new byte[] {1}, 0, 1)).isFalse();
    }

    @Test
    void closingFromThisSideIsNotReportedBack() throws Exception {
        PortForwardStream stream = PortForwardStream.over(CompletableFuture.completedFuture(ws), recorder, executor);

        stream.close();
        stream.onClose(ws, 1000, "");

        Thread.sleep(200);
        assertThat(recorder.events).isEmpty();
        assertThat(ws.closeCode.get()).isEqualTo(1000);
    }

    private static ByteBuffer message(int channel, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] m = new byte[body.length + 1];
        m[0] = (byte) channel;
        System.arraycopy(body, 0, m, 1, body.length);
        return ByteBuffer.wrap(m);
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    /** Keeps what the stream hands over, in order. */
    private static final class Recorder implements PortForwardStream.Receiver {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicReference<Throwable> cause = new AtomicReference<>();
        volatile IOException failWith;

        @Override
        public void received(ByteBuffer data) throws IOException {
            if (failWith != null) {
                throw failWith;
            }
            events.add("data:" + StandardCharsets.UTF_8.decode(data));
        }

        @Override
        public void ended(Throwable why) {
            cause.set(why);
            events.add("end:" + why);
            ended.countDown();
        }
    }

    /** A WebSocket that records what is sent and whose queue drains only when told to. */
    private static final class FakeWebSocket implements WebSocket {
        final List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong queued = new AtomicLong();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger closeCode = new AtomicInteger(-1);
        private volatile boolean draining;

        @Override
        public boolean send(ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            sent.add(copy);
            if (!draining) {
                queued.addAndGet(copy.length);
            }
            return true;
        }

        void drainContinuously() {
            draining = true;
            queued.set(0);
        }

        void stopDraining() {
            draining = false;
        }

        long dataBytes() {
            synchronized (sent) {
                return sent.stream().mapToLong(m -> m.length - 1).sum();
            }
        }

        @Override
        public boolean sendClose(int code, String reason) {
            closeCode.set(code);
            return true;
        }

        @Override
        public long queueSize() {
            return queued.get();
        }

        @Override
        public void request() {
            requests.incrementAndGet();
        }
    }
}
