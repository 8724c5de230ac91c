package dev.kdk.cluster;

import dev.kdk.KdkException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * Turns fabric8 failures into one-line {@link KdkException}s a user can act on: API server unreachable (which
 * server, which context), forbidden (which verb on which resource), namespace missing (suggest
 * {@code --create-namespace}), conflicts. Messages never contain object content.
 */
public final class ApiErrors {
    private final String server;
    private final String context;

    /** @param server the API server URL; @param context the kubeconfig context name, may be null */
    public ApiErrors(String server, String context) {
        this.server = server;
        this.context = context;
    }

    /** Reads server and context from {@code client}'s configuration. */
    public static ApiErrors of(KubernetesClient client) {
        var config = client.getConfiguration();
        String context = config.getCurrentContext() != null ? config.getCurrentContext().getName() : null;
        return new ApiErrors(config.getMasterUrl(), context);
    }

    /**
     * Runs {@code call} ({@code verb} on {@code what}, e.g. "apply", "Secret kdk-a-ca") and rethrows its failure
     * as a KdkException.
     */
    public <T> T call(String verb, String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw map(verb, what, e);
        }
    }

    /** The KdkException for {@code e}, raised while doing {@code verb} on {@code what}. */
    public KdkException map(String verb, String what, KubernetesClientException e) {
        Status status = e.getStatus();
        String message = status != null && status.getMessage() != null ? status.getMessage() : e.getMessage();
        int code = e.getCode();
        if (code == 0 || unreachable(e)) {
            return new KdkException("cannot reach the Kubernetes API server " + server
                    + (context != null ? " (context " + context + ")" : "") + ": " + rootMessage(e)
                    + "; check --kubeconfig/--context and that the cluster is up", e);
        }
        if (code == 403) {
            return new KdkException("forbidden: cannot " + verb + " " + what + ": " + oneLine(message)
                    + "; ask a cluster admin to grant this permission", e);
        }
        if (code == 404 && message != null && message.startsWith("namespaces \"") && message.endsWith("not found")) {
            String ns = message.substring("namespaces \"".length(), message.indexOf('"', "namespaces \"".length()));
            return new KdkException("namespace " + ns + " does not exist: create it, or pass --create-namespace", e);
        }
        if (code == 409) {
            return new KdkException("conflict: cannot " + verb + " " + what + ": " + oneLine(message)
                    + "; re-run, or pass --force to take over the conflicting fields", e);
        }
        if (code == 401) {
            return new KdkException("unauthorized at " + server + (context != null ? " (context " + context + ")" : "")
                    + ": your credentials were rejected; log in again or check --context", e);
        }
        if (code == 422 && message != null && message.contains("updates to statefulset spec for fields other than")) {
            return new KdkException("cannot " + verb + " " + what + ": Kubernetes does not change this part of a "
                    + "StatefulSet in place (e.g. persistence.size or storageClassName); run `kdk uninstall` for the "
                    + "cluster (its data volume is kept) and install again", e);
        }
        return new KdkException("cannot " + verb + " " + what + ": " + (code > 0 ? "HTTP " + code + ": " : "")
                + oneLine(message), e);
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof InterruptedIOException
                    || t instanceof IOException && t.getMessage() != null && t.getMessage().contains("onnection refused")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return oneLine(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\n\\s*", " ").trim();
    }
}
