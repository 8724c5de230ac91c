package dev.kdk.connect;

import java.io.PrintWriter;

/** Progress lines on stderr, in the seed wrapper's words; silent with {@code -q}. Never prints Secret content. */
public final class Progress {
    private final PrintWriter err;
    private final boolean quiet;

    /**
     * @param err   where progress goes (stderr)
     * @param quiet true to print only {@link #warn(String)} lines
     */
    public Progress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    /** A progress line such as {@code . forwarding 16443}; dropped when quiet. */
    public synchronized void step(String line) {
        if (!quiet) {
            err.println(line);
            err.flush();
        }
    }

    /** A line the user must see even when quiet (e.g. the forward was re-established). */
    public synchronized void warn(String line) {
        err.println(line);
        err.flush();
    }

    public boolean quiet() {
        return quiet;
    }
}
