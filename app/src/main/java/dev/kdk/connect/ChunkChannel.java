package dev.kdk.connect;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An in-memory, bounded byte queue read as a blocking channel: one thread {@link #write}s client bytes, fabric8's
 * pump reads them in its own (small) slices without a system call per slice. Writers block while
 * {@link #CAPACITY} bytes are queued; {@link #close()} wakes everyone, after which reads return -1 and writes fail.
 */
final class ChunkChannel implements ReadableByteChannel {
    /** Bytes queued before a writer waits. */
    static final int CAPACITY = 256 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<ByteBuffer> chunks = new ArrayDeque<>();
    private int queued;
    private boolean closed;

    /** Queues a copy of {@code len} bytes of {@code b}; blocks while full; throws if the channel is closed. */
    void write(byte[] b, int off, int len) throws java.io.IOException {
        ByteBuffer chunk = ByteBuffer.allocate(len).put(b, off, len).flip();
        lock.lock();
        try {
            while (!closed && queued >= CAPACITY) {
                notFull.await();
            }
            if (closed) {
                throw new ClosedChannelException();
            }
            chunks.add(chunk);
            queued += len;
            notEmpty.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing bytes for the pod");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(ByteBuffer dst) throws ClosedByInterruptException {
        lock.lock();
        try {
            while (!closed && chunks.isEmpty()) {
                notEmpty.await();
            }
            if (closed) {
                return -1;
            }
            ByteBuffer head = chunks.peek();
            int n = Math.min(dst.remaining(), head.remaining());
            ByteBuffer slice = head.slice();
            slice.limit(n);
            dst.put(slice);
            head.position(head.position() + n);
            if (!head.hasRemaining()) {
                chunks.poll();
            }
            queued -= n;
            notFull.signal();
            return n;
        } catch (InterruptedException e) {
            closeLocked();
            throw new ClosedByInterruptException();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        lock.lock();
        try {
            return !closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeLocked();
        } finally {
            lock.unlock();
        }
    }

    private void closeLocked() {
        closed = true;
        chunks.clear();
        queued = 0;
        notEmpty.signalAll();
        notFull.signalAll();
    }
}
