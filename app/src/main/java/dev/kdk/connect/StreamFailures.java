package dev.kdk.connect;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;

/** Classifies why a pod stream failed to open. */
final class StreamFailures {
    private StreamFailures() {
    }

    /** The HTTP status the API server answered the port-forward upgrade with, or -1 if it is not known. */
    static int httpCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof WebSocketHandshakeException w && w.getResponse() != null) {
                return w.getResponse().code();
            }
            if (t instanceof KubernetesClientException k && k.getCode() > 0) {
                return k.getCode();
            }
        }
        return -1;
    }

    /** True for failures that waiting will not fix: 401 Unauthorized, 403 Forbidden. */
    static boolean isPermanent(Throwable failure) {
        int code = httpCode(failure);
        return code == 401 || code == 403;
    }
}
