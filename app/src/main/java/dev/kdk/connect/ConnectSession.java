package dev.kdk.connect;

import dev.kdk.pki.SecureFiles;
import java.nio.file.Path;

/**
 * What a running connect owns and must release: the private session directory (kubeconfig inside), the forward
 * and the subshell. {@link #close()} releases them once, whether called on normal exit or by the shutdown hook
 * that runs on SIGTERM, SIGHUP or Ctrl-C outside the subshell.
 */
public final class ConnectSession implements AutoCloseable {
    private final Path directory;
    private final Thread hook;
    private ResilientPortForward forward;
    private Subshell subshell;
    private boolean closed;

    private ConnectSession(Path directory) {
        this.directory = directory;
        this.hook = new Thread(this::close, "kdk-connect-cleanup");
    }

    /**
     * Creates a private session directory (0700) {@code kdk-connect-*} under {@code root}, records this process as
     * its owner (see {@link StaleSessions}) and registers the shutdown hook.
     */
    public static ConnectSession open(Path root) {
        ConnectSession session = new ConnectSession(SecureFiles.createPrivateDirectory(root, StaleSessions.PREFIX));
        Runtime.getRuntime().addShutdownHook(session.hook);
        SecureFiles.writePrivate(session.directory.resolve(StaleSessions.OWNER_FILE), StaleSessions.currentOwner());
        return session;
    }

    /** The session directory. */
    public Path directory() {
        return directory;
    }

    /** The kubeconfig file inside the session directory. */
    public Path kubeconfig() {
        return directory.resolve("config");
    }

    /** Writes the kubeconfig (0600). */
    public void writeKubeconfig(String yaml) {
        SecureFiles.writePrivate(kubeconfig(), yaml);
    }

    synchronized void attach(ResilientPortForward forward) {
        this.forward = forward;
        if (closed) {
            forward.close();
        }
    }

    synchronized void attach(Subshell subshell) {
        this.subshell = subshell;
    }

    /** Stops the subshell if still running, closes the forward, deletes the directory. Idempotent. */
    @Override
    public void close() {
        Subshell s;
        ResilientPortForward f;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = subshell;
            f = forward;
        }
        if (s != null) {
            s.terminate();
        }
        if (f != null) {
            f.close();
        }
        try {
            SecureFiles.deleteRecursively(directory);
        } catch (RuntimeException e) {
            // the next connect's sweep removes it
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }
}
