package dev.kdk.render;

import dev.kdk.pki.CertificateAuthority;
import dev.kdk.pki.IssuedCertificate;
import dev.kdk.pki.Kubeconfigs;
import dev.kdk.values.ClusterValues;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * New certificates for each cluster (as Helm's {@code genCA} would): a CA valid {@code pki.caValidityDays} and the
 * owner's client certificate valid {@code pki.clientCertValidityDays}. Used by {@code kdk template} and client-side
 * dry runs; {@code kdk install} keeps the CA it finds in the cluster instead.
 */
public final class FreshPki implements Function<ClusterValues, PkiMaterial> {
    /** The organisation of the owner's client certificate: cluster-admin inside their own cluster. */
    public static final String OWNER_GROUP = "system:masters";

    private final String release;
    private final Instant now;

    public FreshPki(String release) {
        this(release, Instant.now());
    }

    public FreshPki(String release, Instant now) {
        this.release = release;
        this.now = now;
    }

    @Override
    public PkiMaterial apply(ClusterValues cluster) {
        String fullname = Renderer.fullname(release, cluster.name());
        CertificateAuthority ca = CertificateAuthority.generate(fullname + "-ca",
                Duration.ofDays(cluster.getLong("pki.caValidityDays")), now);
        return material(fullname, cluster, ca, issueClient(ca, cluster, now));
    }

    /** The owner's client certificate: CN=email, O=system:masters, valid {@code pki.clientCertValidityDays}. */
    public static IssuedCertificate issueClient(CertificateAuthority ca, ClusterValues cluster, Instant now) {
        return ca.issueClient(cluster.email(), List.of(OWNER_GROUP),
                Duration.ofDays(cluster.getLong("pki.clientCertValidityDays")), now);
    }

    /**
     * The Secrets' material for a CA and client certificate: kubeconfig with cluster, user and context
     * {@code fullname} and server {@code https://127.0.0.1:<kind.apiServerPort>}.
     */
    public static PkiMaterial material(String fullname, ClusterValues cluster, CertificateAuthority ca,
                                       IssuedCertificate client) {
        String server = "https://127.0.0.1:" + cluster.getLong("kind.apiServerPort");
        String caPem = ca.certificatePem();
        return new PkiMaterial(caPem, ca.privateKeyPem(), Kubeconfigs.build(fullname, server, caPem, client));
    }
}
