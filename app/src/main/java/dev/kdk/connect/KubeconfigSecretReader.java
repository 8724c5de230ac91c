package dev.kdk.connect;

import dev.kdk.KdkException;
import dev.kdk.cluster.ApiErrors;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads the developer's kubeconfig from Secret {@code kdk-NAME-kubeconfig}, key {@code config}, in the client's
 * namespace. Errors name the Secret, the key and the missing permission; they never contain Secret content.
 */
public final class KubeconfigSecretReader {
    /** The key of the kubeconfig in the Secret. */
    public static final String KEY = "config";

    private final KubernetesClient client;

    public KubeconfigSecretReader(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Returns the kubeconfig YAML of cluster {@code name} (decoded from base64). Throws KdkException (exit 1) if
     * the Secret does not exist, lacks key {@code config}, or the user may not {@code get} it.
     */
    public String read(ClusterName name) {
        String ns = client.getNamespace();
        String secretName = name.kubeconfigSecretName();
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ns).withName(secretName).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new KdkException("forbidden: you may not get Secret " + secretName + " in namespace " + ns
                        + "; the admin grants `get` on secrets/" + secretName + " (and `get`/`create` on pods/"
                        + name.podName() + "/portforward) to each developer through Role " + name.userRoleName()
                        + " (kdk install creates it for the cluster's email)", e);
            }
            if (e.getCode() == 401) {
                throw new KdkException("unauthorized: the host cluster rejected your credentials while reading Secret "
                        + secretName + " in namespace " + ns + "; log in again or check --kubeconfig/--context", e);
            }
            throw ApiErrors.of(client).map("read", "Secret " + secretName + " in namespace " + ns, e);
        }
        if (secret == null) {
            throw new KdkException("Secret " + secretName + " not found in namespace " + ns
                    + "; is cluster " + name + " installed there (check -n/--context, or ask the admin to run kdk install)?");
        }
        String encoded = secret.getData() == null ? null : secret.getData().get(KEY);
        if (encoded == null || encoded.isBlank()) {
            String plain = secret.getStringData() == null ? null : secret.getStringData().get(KEY);
            if (plain != null && !plain.isBlank()) {
                return plain;
            }
            throw new KdkException("Secret " + secretName + " in namespace " + ns + " has no key `" + KEY
                    + "`; ask the admin to re-run kdk install to regenerate it");
        }
        try {
            return new String(Base64.getMimeDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new KdkException("Secret " + secretName + " key `" + KEY + "` is not valid base64; ask the admin to"
                    + " re-run kdk install to regenerate it");
        }
    }
}
