package dev.kdk;

/**
 * Root of every error kdk reports to a user. The message is one line a user can act on and never
 * contains Secret content; {@link #exitCode()} is what the process exits with.
 */
public class KdkException extends RuntimeException {
    /** Exit code for a failure talking to the cluster or the local system. */
    public static final int FAILURE = 1;
    /** Exit code for bad input: values, flags, templates. Nothing was written when this is returned. */
    public static final int USAGE = 2;

    private final int exitCode;

    public KdkException(String message) {
        this(message, FAILURE, null);
    }

    public KdkException(String message, Throwable cause) {
        this(message, FAILURE, cause);
    }

    public KdkException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The process exit code for this error: {@link #FAILURE}, {@link #USAGE} or another non-zero code. */
    public int exitCode() {
        return exitCode;
    }
}
