package dev.kdk.connect;

import dev.kdk.KdkException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Runs the developer's shell ({@code $SHELL}, else {@code /bin/sh}) or the given command with extra environment,
 * inheriting stdin/stdout/stderr, and returns its exit code. While it runs, Ctrl-C belongs to the child: kdk
 * ignores SIGINT (the terminal sends it to both), so an interactive shell's Ctrl-C does not tear down the forward.
 */
public final class Subshell {
    private final List<String> command;
    private final Map<String, String> extraEnv;
    private volatile Process process;

    /**
     * @param command  what to run; empty for the user's shell
     * @param env      the environment kdk runs in (for {@code SHELL})
     * @param extraEnv variables set for the child on top of kdk's environment
     */
    public Subshell(List<String> command, Map<String, String> env, Map<String, String> extraEnv) {
        this.command = command.isEmpty() ? List.of(shell(env)) : List.copyOf(command);
        this.extraEnv = Map.copyOf(extraEnv);
    }

    /** {@code $SHELL} if set, else {@code /bin/sh}. */
    static String shell(Map<String, String> env) {
        String shell = env.get("SHELL");
        return shell == null || shell.isBlank() ? "/bin/sh" : shell;
    }

    /** The command line that {@link #run()} starts. */
    public List<String> command() {
        return command;
    }

    /**
     * Starts the child and waits for it. Returns its exit code (128+N when killed by signal N). Throws KdkException
     * (exit 1) if it cannot be started, naming the command.
     */
    public int run() {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(extraEnv);
        Object previous = SigInt.ignore();
        try {
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new KdkException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
            }
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    // keep waiting: the child decides when the session ends; shutdown hooks stop it on SIGTERM
                    Thread.interrupted();
                }
            }
        } finally {
            SigInt.restore(previous);
        }
    }

    /** Sends SIGTERM to the child (if running) and waits briefly for it; used on kdk's own shutdown. */
    public void terminate() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGINT handling through {@code sun.misc.Signal}; a no-op where it is unavailable. */
    private static final class SigInt {
        static Object ignore() {
            try {
                return sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> { });
            } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
                return null;
            }
        }

        static void restore(Object previous) {
            if (previous instanceof sun.misc.SignalHandler handler) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    // nothing to restore
                }
            }
        }
    }
}
