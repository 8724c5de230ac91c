package dev.kdk.pki;

import dev.kdk.KdkException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and decoding through BouncyCastle's PEM reader and writer.
 *
 * <p>Errors name the {@code source} (e.g. "Secret dev/kdk-testing1-ca") and the part ("tls.crt", "private key"),
 * say what is wrong, and never include the PEM text or a cause whose message might quote it.
 */
final class Pem {
    private Pem() {
    }

    /** The certificate as one {@code -----BEGIN CERTIFICATE-----} block, lines ending in '\n'. */
    static String encode(X509Certificate certificate) {
        return write(certificate);
    }

    /**
     * The key as an unencrypted PKCS#8 {@code -----BEGIN PRIVATE KEY-----} block. This is the form kubectl, Go
     * and kubeadm read for every key type; the SEC1 "EC PRIVATE KEY" form JcaPEMWriter picks for a JDK EC key
     * lacks the curve and kubectl rejects it.
     */
    static String encode(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new KdkException("cannot encode " + key.getAlgorithm() + " private key as PKCS#8", e);
        }
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * The first certificate in {@code pem} (a chain may follow; it is ignored).
     *
     * @param part what the text is, for errors ("certificate", "tls.crt")
     * @throws KdkException if {@code pem} is empty or holds no parseable certificate
     */
    static X509Certificate certificate(String pem, String source, String part) {
        Object object = firstOf(pem, source, part, X509CertificateHolder.class);
        if (object == null) {
            throw invalid(source, part, "holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)");
        }
        try {
            // The JDK's X.509 and key factories: reading PEM needs no BouncyCastle provider, which is slow to start.
            return new JcaX509CertificateConverter().getCertificate((X509CertificateHolder) object);
        } catch (CertificateException e) {
            throw invalid(source, part, "is not a valid X.509 certificate");
        }
    }

    /**
     * The first private key in {@code pem}: PKCS#8 ("PRIVATE KEY"), SEC1 ("EC PRIVATE KEY") or PKCS#1
     * ("RSA PRIVATE KEY"); EC parameter blocks before it are skipped.
     *
     * @throws KdkException if {@code pem} is empty, holds no key, or holds only an encrypted key
     */
    static PrivateKey privateKey(String pem, String source, String part) {
        Object object = firstOf(pem, source, part, PrivateKeyInfo.class, PEMKeyPair.class,
                PKCS8EncryptedPrivateKeyInfo.class, PEMEncryptedKeyPair.class);
        if (object == null) {
            throw invalid(source, part, "holds no PEM private key (expected -----BEGIN PRIVATE KEY-----)");
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
            throw invalid(source, part, "is encrypted; kdk needs an unencrypted key");
        }
        try {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return object instanceof PEMKeyPair pair
                    ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) object);
        } catch (IOException | RuntimeException e) {
            throw invalid(source, part, "is not a valid private key (unsupported algorithm or corrupt data)");
        }
    }

    /** The first PEM object of one of {@code types}, or null if there is none. */
    private static Object firstOf(String pem, String source, String part, Class<?>... types) {
        if (pem == null || pem.isBlank()) {
            throw invalid(source, part, "is empty");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                for (Class<?> type : types) {
                    if (type.isInstance(object)) {
                        return object;
                    }
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            // The parser's messages may quote the input: say what failed, never why in its words.
            throw invalid(source, part, "is not valid PEM (corrupt base64 or ASN.1 data)");
        }
    }

    static KdkException invalid(String source, String part, String problem) {
        return new KdkException(source + ": " + part + " " + problem);
    }
}
