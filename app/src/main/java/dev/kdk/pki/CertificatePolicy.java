package dev.kdk.pki;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When {@code kdk install} re-issues a developer's client certificate. It never replaces a CA (that would lock the
 * developer out of a running cluster); the client certificate is re-issued only when:
 * <ul>
 *   <li>it is missing (no kubeconfig Secret, or no client certificate in it);</li>
 *   <li>it expires within {@code renewBefore}: notAfter &lt;= now + renewBefore (an expired one included);</li>
 *   <li>its CN differs from the owner's email (compared exactly: the CN is the RBAC user name);</li>
 *   <li>(with a CA given) the cluster's CA did not sign it.</li>
 * </ul>
 */
public final class CertificatePolicy {
    private CertificatePolicy() {
    }

    /**
     * True if the client certificate must be re-issued: missing, expiring within {@code renewBefore}, or its CN is
     * not {@code expectedEmail}.
     *
     * @param existing the current client certificate, or null if there is none
     * @param renewBefore e.g. {@code Duration.ofDays(30)} (values {@code pki.renewBeforeDays})
     */
    public static boolean needsReissue(IssuedCertificate existing, String expectedEmail, Duration renewBefore,
            Instant now) {
        return reissueReason(existing, null, expectedEmail, renewBefore, now).isPresent();
    }

    /**
     * Why the client certificate must be re-issued, as a short phrase for progress output (e.g.
     * "client certificate expires 2027-01-01T00:00:00Z, within 30 days"), or empty if it is fine.
     *
     * @param existing the current client certificate, or null if there is none
     * @param ca the cluster's CA; when not null, a certificate it did not sign is re-issued too
     * @param renewBefore e.g. {@code Duration.ofDays(30)}
     */
    public static Optional<String> reissueReason(IssuedCertificate existing, CertificateAuthority ca,
            String expectedEmail, Duration renewBefore, Instant now) {
        Objects.requireNonNull(renewBefore, "renewBefore");
        Objects.requireNonNull(now, "now");
        if (existing == null) {
            return Optional.of("client certificate missing");
        }
        Instant notAfter = existing.notAfter();
        if (!notAfter.isAfter(now)) {
            return Optional.of("client certificate expired " + notAfter);
        }
        if (!notAfter.isAfter(now.plus(renewBefore))) {
            return Optional.of("client certificate expires " + notAfter + ", within " + renewBefore.toDays()
                    + " days");
        }
        String commonName = existing.commonName();
        if (!Objects.equals(commonName, expectedEmail)) {
            return Optional.of("client certificate belongs to " + commonName + ", owner is now " + expectedEmail);
        }
        if (ca != null && !signedBy(existing.certificate(), ca)) {
            return Optional.of("client certificate was not signed by the cluster CA");
        }
        return Optional.empty();
    }

    /** True if {@code ca} signed {@code certificate} (issuer name and signature; dates are not checked). */
    public static boolean signedBy(X509Certificate certificate, CertificateAuthority ca) {
        return ca.isIssuerOf(certificate);
    }
}
