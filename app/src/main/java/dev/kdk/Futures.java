package dev.kdk;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** Work started on another core while the caller goes on, the way kdk overlaps its slow start-up steps. */
public final class Futures {
    private Futures() {
    }

    /**
     * Runs {@code work} on a new daemon thread named {@code threadName} (a daemon, so an abandoned warm-up never keeps
     * the process alive).
     *
     * @return the future of its result; {@link #join} it
     */
    public static <T> CompletableFuture<T> inBackground(String threadName, Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * The result of {@code future}, waiting for it; what the work threw (a KdkException, usually) is rethrown as is,
     * not wrapped in a CompletionException.
     */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
