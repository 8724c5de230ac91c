package dev.kdk.cluster;

import dev.kdk.pki.CertificateAuthority;
import dev.kdk.pki.CertificatePolicy;
import dev.kdk.pki.IssuedCertificate;
import dev.kdk.pki.Kubeconfigs;
import dev.kdk.render.FreshPki;
import dev.kdk.render.PkiMaterial;
import dev.kdk.render.Renderer;
import dev.kdk.values.ClusterValues;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The PKI material {@code kdk install} renders for each cluster, from what already exists:
 * <ul>
 *   <li>the CA of Secret {@code RELEASE-NAME-ca} is kept, byte for byte; a new CA is generated only if there is
 *       none;</li>
 *   <li>the client certificate in Secret {@code RELEASE-NAME-kubeconfig} is kept unless {@link CertificatePolicy}
 *       says it must be re-issued (missing, expiring within {@code pki.renewBeforeDays}, other owner, other CA) or
 *       the cluster is in {@code rotate}.</li>
 * </ul>
 * What it did per cluster is in {@link #notes()} (e.g. "new CA", "client certificate re-issued: ..."). Thread-safe:
 * the renderer calls it for several clusters at once.
 */
public final class InstallPki implements Function<ClusterValues, PkiMaterial> {
    private final String release;
    private final String namespace;
    private final LiveState live;
    private final Instant now;
    private final Set<String> rotate;
    private final Map<String, String> notes = new TreeMap<>();

    /**
     * @param live the namespace's current objects (its Secrets are read)
     * @param now the issue time of new certificates and the reference for expiry
     * @param rotate clusters whose client certificate is re-issued regardless of the policy
     */
    public InstallPki(String release, String namespace, LiveState live, Instant now, Set<String> rotate) {
        this.release = release;
        this.namespace = namespace;
        this.live = live;
        this.now = now;
        this.rotate = rotate;
    }

    @Override
    public PkiMaterial apply(ClusterValues cluster) {
        String fullname = Renderer.fullname(release, cluster.name());
        String caName = fullname + "-ca";
        Secret caSecret = live.secret(caName);
        CertificateAuthority ca;
        String caCertPem;
        String caKeyPem;
        String note;
        if (caSecret != null) {
            String source = "Secret " + namespace + "/" + caName;
            caCertPem = decode(caSecret, "tls.crt", source);
            caKeyPem = decode(caSecret, "tls.key", source);
            ca = CertificateAuthority.fromPem(caCertPem, caKeyPem, source);
            note = null;
        } else {
            ca = CertificateAuthority.generate(caName, Duration.ofDays(cluster.getLong("pki.caValidityDays")), now);
            caCertPem = ca.certificatePem();
            caKeyPem = ca.privateKeyPem();
            note = "new CA";
        }
        String kcName = fullname + "-kubeconfig";
        Secret kcSecret = live.secret(kcName);
        IssuedCertificate existing = null;
        if (kcSecret != null && kcSecret.getData() != null && kcSecret.getData().get("config") != null) {
            String source = "Secret " + namespace + "/" + kcName + " key config";
            try {
                existing = Kubeconfigs.clientCertificate(decode(kcSecret, "config", source), source).orElse(null);
            } catch (dev.kdk.KdkException unreadable) {
                existing = null; // kdk wrote it and can write it again: re-issue rather than fail
            }
        }
        Optional<String> reason = rotate.contains(cluster.name()) ? Optional.of("client certificate rotated")
                : CertificatePolicy.reissueReason(existing, ca, cluster.email(),
                        Duration.ofDays(cluster.getLong("pki.renewBeforeDays")), now);
        IssuedCertificate client = existing;
        if (reason.isPresent()) {
            client = FreshPki.issueClient(ca, cluster, now);
            if (existing != null) {
                note = (note == null ? "" : note + "; ") + "client certificate re-issued (" + reason.get() + ")";
            } else if (note == null) {
                note = "new client certificate";
            }
        }
        if (note != null) {
            synchronized (notes) {
                notes.put(cluster.name(), note);
            }
        }
        PkiMaterial fresh = FreshPki.material(fullname, cluster, ca, client);
        // Keep the stored CA text itself, so the Secret stays byte for byte what it was.
        return new PkiMaterial(caCertPem, caKeyPem, fresh.kubeconfig());
    }

    /** What was generated or re-issued, by cluster; clusters whose PKI was kept as is are absent. */
    public Map<String, String> notes() {
        synchronized (notes) {
            return new TreeMap<>(notes);
        }
    }

    private static String decode(Secret secret, String key, String source) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        if (value == null) {
            throw new dev.kdk.KdkException(source + " has no key " + key + "; delete the Secret only if the cluster's"
                    + " data may be lost, or restore the key");
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new dev.kdk.KdkException(source + " key " + key + " is not valid base64");
        }
    }
}
