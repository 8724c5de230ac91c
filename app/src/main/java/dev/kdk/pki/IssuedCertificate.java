package dev.kdk.pki;

import dev.kdk.KdkException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A leaf certificate with its private key: a developer's client certificate (CN = email, O = system:masters)
 * or, in tests, a server certificate.
 *
 * <p>{@link #toString()} shows the subject, serial and expiry only, never the key.
 *
 * @param certificate the X.509 certificate
 * @param privateKey the matching private key (ECDSA P-256 for certificates kdk issues)
 */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Reads a certificate and its key from PEM, e.g. a kubeconfig's decoded client-certificate-data and
     * client-key-data.
     *
     * @param certPem PEM text; the first CERTIFICATE block is used
     * @param keyPem PEM text: PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY", unencrypted
     * @param source where the text came from, for errors, e.g. "Secret dev/kdk-testing1-kubeconfig"
     * @throws KdkException naming {@code source} and the problem (empty, not PEM, corrupt, encrypted, key does not
     *     match the certificate); the message never contains the PEM text
     */
    public static IssuedCertificate fromPem(String certPem, String keyPem, String source) {
        X509Certificate certificate = Pem.certificate(certPem, source, "client certificate");
        PrivateKey key = Pem.privateKey(keyPem, source, "client key");
        if (!X509.keysMatch(key, certificate.getPublicKey())) {
            throw new KdkException(source + ": client key does not belong to the client certificate");
        }
        return new IssuedCertificate(certificate, key);
    }

    /** The certificate as a PEM {@code -----BEGIN CERTIFICATE-----} block ('\n' line ends). */
    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /** The key as an unencrypted PKCS#8 PEM {@code -----BEGIN PRIVATE KEY-----} block ('\n' line ends). */
    public String privateKeyPem() {
        return Pem.encode(privateKey);
    }

    /** The subject's first CN (for a client certificate: the owner's email), or null if it has none. */
    public String commonName() {
        return X509.subjectAttribute(certificate, BCStyle.CN);
    }

    /** The subject's O values in order (for a client certificate: its Kubernetes groups). */
    public List<String> organizations() {
        return X509.subjectAttributes(certificate, BCStyle.O);
    }

    /** The last instant the certificate is valid (whole seconds). */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** The first instant the certificate is valid (whole seconds). */
    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    @Override
    public String toString() {
        return "IssuedCertificate[subject=" + certificate.getSubjectX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16) + ", notAfter=" + notAfter() + "]";
    }
}
