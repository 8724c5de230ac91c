package dev.kdk.connect;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** Turns fabric8 errors into one short line for a user. */
final class Errors {
    private Errors() {
    }

    /** The API server's status message if there is one, else the exception's first line; HTTP code in front. */
    static String describe(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage() : e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        if (message != null) {
            int nl = message.indexOf('\n');
            message = nl >= 0 ? message.substring(0, nl) : message;
        }
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + message;
    }
}
