package dev.kdk.pki;

import dev.kdk.KdkException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * A cluster's certificate authority: the certificate and key stored in Secret {@code kdk-NAME-ca}
 * ({@code tls.crt}, {@code tls.key}) and mounted into the pod, where kind's kubeadm keeps it as
 * {@code /etc/kubernetes/pki/ca.{crt,key}} and signs the inner API server's certificate with it.
 *
 * <p>Certificates issued here use a fresh ECDSA P-256 key, SHA-256 signatures, a random 127-bit serial,
 * subject and authority key identifiers, and the window notBefore = now - 5 minutes (clock skew between the
 * machine running kdk and the cluster), notAfter = now + validity, in whole seconds.
 * {@link #toString()} shows the subject, serial and expiry only, never the key.
 *
 * @param certificate the self-signed CA certificate (basicConstraints CA:true)
 * @param privateKey the CA's private key
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {

    /** Key usage of a generated CA: keyCertSign | cRLSign (critical). */
    private static final int CA_KEY_USAGE = KeyUsage.keyCertSign | KeyUsage.cRLSign;
    /** Key usage of issued leaves: digitalSignature (critical); ECDSA keys do no key encipherment. */
    private static final int LEAF_KEY_USAGE = KeyUsage.digitalSignature;

    public CertificateAuthority {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * Loads what generating keys and certificates needs (BouncyCastle's provider: about 0.3 s on a cold JVM), so a
     * caller can do it on another thread while it reads its input. Optional: the first use does it anyway.
     */
    public static void prepare() {
        X509.bc();
    }

    /**
     * Generates a self-signed ECDSA P-256 CA: CN={@code commonName}, basicConstraints CA:true (critical),
     * keyUsage keyCertSign|cRLSign (critical), SKI, AKI = SKI.
     *
     * @param validity how long the CA is valid from {@code now}, e.g. {@code Duration.ofDays(3650)}
     * @param now the issue time; notBefore is 5 minutes earlier
     * @throws KdkException (usage) if {@code commonName} is blank or {@code validity} is not positive
     */
    public static CertificateAuthority generate(String commonName, Duration validity, Instant now) {
        KeyPair keys = X509.newP256KeyPair();
        X500Name subject = X509.subject(commonName, List.of());
        X509v3CertificateBuilder builder = X509.builder(subject, null, subject, keys.getPublic(), now, validity);
        X509.basicConstraints(builder, true);
        X509.keyUsage(builder, CA_KEY_USAGE);
        return new CertificateAuthority(X509.sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    /**
     * Reads a CA from PEM, e.g. Secret {@code kdk-NAME-ca}'s decoded {@code tls.crt} and {@code tls.key}.
     *
     * @param certPem PEM text; the first CERTIFICATE block is used
     * @param keyPem PEM text: PKCS#8 "PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY", unencrypted
     * @param source where the text came from, for errors, e.g. "Secret dev/kdk-testing1-ca"
     * @throws KdkException naming {@code source} and the problem: empty, not PEM, corrupt, encrypted key, not a CA
     *     certificate (no CA:true, or keyUsage without keyCertSign), or key not matching the certificate.
     *     The message never contains the PEM text.
     */
    public static CertificateAuthority fromPem(String certPem, String keyPem, String source) {
        X509Certificate certificate = Pem.certificate(certPem, source, "CA certificate");
        PrivateKey key = Pem.privateKey(keyPem, source, "CA key");
        if (certificate.getBasicConstraints() < 0) {
            throw new KdkException(source + ": CA certificate is not a CA (basicConstraints CA:true missing)");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && !usage[5]) {
            throw new KdkException(source + ": CA certificate may not sign certificates (keyUsage lacks keyCertSign)");
        }
        if (!X509.keysMatch(key, certificate.getPublicKey())) {
            throw new KdkException(source + ": CA key does not belong to the CA certificate");
        }
        return new CertificateAuthority(certificate, key);
    }

    /** The CA certificate as a PEM {@code -----BEGIN CERTIFICATE-----} block ('\n' line ends). */
    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /** The CA key as an unencrypted PKCS#8 PEM {@code -----BEGIN PRIVATE KEY-----} block ('\n' line ends). */
    public String privateKeyPem() {
        return Pem.encode(privateKey);
    }

    /**
     * Issues a client certificate: subject O=organizations..., CN=commonName; extendedKeyUsage clientAuth,
     * keyUsage digitalSignature (critical), basicConstraints CA:false (critical). Kubernetes reads CN as the user
     * name and each O as a group, so a developer gets {@code issueClient(email, List.of("system:masters"), ...)}.
     *
     * @param validity how long the certificate is valid from {@code now}, e.g. {@code Duration.ofDays(365)}
     * @throws KdkException (usage) if {@code commonName} is blank or {@code validity} is not positive
     */
    public IssuedCertificate issueClient(String commonName, List<String> organizations, Duration validity,
            Instant now) {
        return issue(X509.subject(commonName, organizations), KeyPurposeId.id_kp_clientAuth, List.of(), List.of(),
                validity, now);
    }

    /**
     * Issues a server certificate: CN=commonName, subjectAltName with {@code dnsNames} and {@code ipAddresses},
     * extendedKeyUsage serverAuth, keyUsage digitalSignature (critical), basicConstraints CA:false (critical).
     *
     * @param ipAddresses literal IPv4/IPv6 addresses, e.g. "127.0.0.1", "::1"
     * @throws KdkException (usage) on a blank CN, a non-positive validity, or an entry of {@code ipAddresses} that
     *     is not an IP address
     */
    public IssuedCertificate issueServer(String commonName, List<String> dnsNames, List<String> ipAddresses,
            Duration validity, Instant now) {
        return issue(X509.subject(commonName, List.of()), KeyPurposeId.id_kp_serverAuth, dnsNames, ipAddresses,
                validity, now);
    }

    private IssuedCertificate issue(X500Name subject, KeyPurposeId purpose, List<String> dnsNames,
            List<String> ipAddresses, Duration validity, Instant now) {
        KeyPair keys = X509.newP256KeyPair();
        X509v3CertificateBuilder builder = X509.builder(X509.subjectName(certificate), certificate, subject,
                keys.getPublic(), now, validity);
        X509.basicConstraints(builder, false);
        X509.keyUsage(builder, LEAF_KEY_USAGE);
        X509.extendedKeyUsage(builder, purpose);
        X509.subjectAltNames(builder, dnsNames, ipAddresses);
        return new IssuedCertificate(X509.sign(builder, privateKey), keys.getPrivate());
    }

    /**
     * True if this CA signed {@code leaf}: its issuer name equals this CA's subject and its signature verifies
     * with this CA's public key. Validity dates are not checked here (see {@link CertificatePolicy}).
     */
    public boolean isIssuerOf(X509Certificate leaf) {
        if (!leaf.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            leaf.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The last instant the CA is valid (whole seconds). */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "CertificateAuthority[subject=" + certificate.getSubjectX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16) + ", notAfter=" + notAfter() + "]";
    }
}
