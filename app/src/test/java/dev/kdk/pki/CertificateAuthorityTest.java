package dev.kdk.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kdk.KdkException;
import dev.kdk.testing.Processes;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30.789Z");
    private static final Instant NOW_SECONDS = NOW.truncatedTo(ChronoUnit.SECONDS);
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

    private final CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(3650),
            NOW);

    @Test
    void generatedCaIsSelfSignedP256WithCaConstraints() throws Exception {
        X509Certificate cert = ca.certificate();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=kdk-testing1-ca");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        cert.verify(cert.getPublicKey()); // self-signed
        assertThat(cert.getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
        assertP256(cert);
        assertThat(cert.getBasicConstraints()).as("CA:true").isGreaterThanOrEqualTo(0);
        assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        boolean[] usage = cert.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(cert.getExtendedKeyUsage()).isNull();
        assertThat(authorityKeyId(cert)).isEqualTo(subjectKeyId(cert));
        assertThat(cert.getSerialNumber().signum()).isPositive();
    }

    @Test
    void validityWindowStartsFiveMinutesBeforeNowAndLastsTheGivenDuration() {
        assertThat(ca.certificate().getNotBefore().toInstant()).isEqualTo(NOW_SECONDS.minus(Duration.ofMinutes(5)));
        assertThat(ca.notAfter()).isEqualTo(NOW_SECONDS.plus(Duration.ofDays(3650)));

        IssuedCertificate client = ca.issueClient("dev@example.com", List.of("system:masters"),
                Duration.ofHours(36), NOW);
        assertThat(client.notBefore()).isEqualTo(NOW_SECONDS.minus(Duration.ofMinutes(5)));
        assertThat(client.notAfter()).isEqualTo(NOW_SECONDS.plus(Duration.ofHours(36)));
    }

    @Test
    void clientCertificateCarriesEmailAndGroupsForClientAuthOnly() throws Exception {
        IssuedCertificate client = ca.issueClient("a.dev+kdk@example.com", List.of("system:masters", "team-a"),
                Duration.ofDays(365), NOW);
        X509Certificate cert = client.certificate();

        assertThat(client.commonName()).isEqualTo("a.dev+kdk@example.com");
        assertThat(client.organizations()).containsExactly("system:masters", "team-a");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        cert.verify(ca.certificate().getPublicKey());
        assertThat(ca.isIssuerOf(cert)).isTrue();
        assertP256(cert);
        assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(cert.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isFalse();
        assertThat(cert.getBasicConstraints()).as("CA:false").isEqualTo(-1);
        assertThat(cert.getSubjectAlternativeNames()).isNull();
        assertThat(authorityKeyId(cert)).isEqualTo(subjectKeyId(ca.certificate()));
        assertThat(subjectKeyId(cert)).isNotEqualTo(subjectKeyId(ca.certificate()));
        assertThat(client.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(client.privateKey()).isNotEqualTo(ca.privateKey());
    }

    @Test
    void serverCertificateCarriesSubjectAltNamesForServerAuth() throws Exception {
        IssuedCertificate server = ca.issueServer("kube-apiserver", List.of("localhost", "kubernetes.default"),
                List.of("127.0.0.1", "::1"), Duration.ofDays(1), NOW);
        X509Certificate cert = server.certificate();

        assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        List<String> names = new ArrayList<>();
        for (List<?> name : cert.getSubjectAlternativeNames()) {
            names.add(name.get(0) + ":" + name.get(1));
        }
        // 2 = dNSName, 7 = iPAddress (the JDK prints IPv6 in full form)
        assertThat(names).containsExactlyInAnyOrder("2:localhost", "2:kubernetes.default", "7:127.0.0.1",
                "7:0:0:0:0:0:0:0:1");
        assertThat(ca.isIssuerOf(cert)).isTrue();
    }

    @Test
    void serialNumbersDiffer() {
        IssuedCertificate one = ca.issueClient("a@example.com", List.of(), Duration.ofDays(1), NOW);
        IssuedCertificate two = ca.issueClient("a@example.com", List.of(), Duration.ofDays(1), NOW);
        assertThat(one.certificate().getSerialNumber()).isNotEqualTo(two.certificate().getSerialNumber());
    }

    @Test
    void anotherCaIsNotTheIssuer() {
        CertificateAuthority other = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), NOW);
        IssuedCertificate client = other.issueClient("dev@example.com", List.of(), Duration.ofDays(1), NOW);
        // Same subject name, different key: the signature decides.
        assertThat(ca.isIssuerOf(client.certificate())).isFalse();
        assertThat(other.isIssuerOf(client.certificate())).isTrue();
        assertThat(ca.isIssuerOf(other.certificate())).isFalse();
    }

    @Test
    void privateKeysArePkcs8Pem() {
        IssuedCertificate client = ca.issueClient("dev@example.com", List.of(), Duration.ofDays(1), NOW);
        for (String pem : List.of(ca.privateKeyPem(), client.privateKeyPem())) {
            assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n")
                    .doesNotContain("EC PRIVATE KEY");
            String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            // PKCS#8 PrivateKeyInfo names the algorithm (id-ecPublicKey) and the curve (prime256v1).
            assertThat(Base64.getDecoder().decode(body)).containsSequence(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
                    0x3d, 0x02, 0x01).containsSequence(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07);
        }
        assertThat(ca.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("-----END CERTIFICATE-----\n");
    }

    @Test
    void pemRoundTrips() {
        CertificateAuthority read = CertificateAuthority.fromPem(ca.certificatePem(), ca.privateKeyPem(), "test");
        assertThat(read.certificate()).isEqualTo(ca.certificate());
        assertThat(read.privateKey().getEncoded()).isEqualTo(ca.privateKey().getEncoded());
        assertThat(read.certificatePem()).isEqualTo(ca.certificatePem());
        assertThat(read.privateKeyPem()).isEqualTo(ca.privateKeyPem());

        // A CA read back issues certificates the original verifies.
        IssuedCertificate client = read.issueClient("dev@example.com", List.of("system:masters"),
                Duration.ofDays(1), NOW);
        assertThat(ca.isIssuerOf(client.certificate())).isTrue();

        IssuedCertificate again = IssuedCertificate.fromPem(client.certificatePem(), client.privateKeyPem(), "test");
        assertThat(again.certificate()).isEqualTo(client.certificate());
        assertThat(again.privateKeyPem()).isEqualTo(client.privateKeyPem());
        assertThat(again.commonName()).isEqualTo("dev@example.com");
        assertThat(again.notAfter()).isEqualTo(client.notAfter());
    }

    @Test
    void readsSec1EcKeysToo() throws Exception {
        // The SEC1 form JcaPEMWriter writes for an EC key (and openssl ecparam -genkey).
        StringWriter sec1 = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(sec1)) {
            writer.writeObject(ca.privateKey());
        }
        assertThat(sec1.toString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
        CertificateAuthority read = CertificateAuthority.fromPem(ca.certificatePem(), sec1.toString(), "test");
        assertThat(read.privateKeyPem()).isEqualTo(ca.privateKeyPem());
    }

    @Test
    void opensslAgreesWithTheChainAndPurposes(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Processes.run(Duration.ofSeconds(10), "sh", "-c", "command -v openssl").exitCode() == 0,
                "openssl not installed");
        Instant now = Instant.now();
        CertificateAuthority current = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), now);
        IssuedCertificate client = current.issueClient("dev@example.com", List.of("system:masters"),
                Duration.ofDays(1), now);
        IssuedCertificate server = current.issueServer("kube-apiserver", List.of("localhost"), List.of("127.0.0.1"),
                Duration.ofDays(1), now);
        Files.writeString(dir.resolve("ca.pem"), current.certificatePem());
        Files.writeString(dir.resolve("client.pem"), client.certificatePem());
        Files.writeString(dir.resolve("server.pem"), server.certificatePem());
        Files.writeString(dir.resolve("key.pem"), client.privateKeyPem());

        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "client.pem").exitCode())
                .isZero();
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "-purpose", "sslserver", "server.pem").exitCode())
                .isZero();
        assertThat(openssl(dir, "verify", "-CAfile", "ca.pem", "-purpose", "sslserver", "client.pem").exitCode())
                .as("a client certificate is not a server certificate").isNotZero();
        Processes.Result key = openssl(dir, "pkey", "-in", "key.pem", "-noout", "-text");
        assertThat(key.exitCode()).isZero();
        assertThat(key.stdout()).contains("prime256v1");
    }

    private static Processes.Result openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec openssl \"$@\"",
                dir.toString()));
        command.addAll(List.of(args));
        return Processes.run(Duration.ofSeconds(20), java.util.Map.of(), command);
    }

    static Stream<Arguments> badPem() {
        CertificateAuthority other = CertificateAuthority.generate("other", Duration.ofDays(1), NOW);
        CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), NOW);
        IssuedCertificate leaf = ca.issueClient("dev@example.com", List.of(), Duration.ofDays(1), NOW);
        String cert = ca.certificatePem();
        String key = ca.privateKeyPem();
        String corrupt = cert.replace(cert.substring(40, 80), "!!!!" + cert.substring(44, 80));
        return Stream.of(
                Arguments.of("", key, "CA certificate is empty"),
                Arguments.of("not pem at all", key, "CA certificate holds no PEM certificate"),
                Arguments.of(corrupt, key, "CA certificate is not valid PEM"),
                Arguments.of(key, key, "CA certificate holds no PEM certificate"),
                Arguments.of(cert, "", "CA key is empty"),
                Arguments.of(cert, cert, "CA key holds no PEM private key"),
                Arguments.of(cert, other.privateKeyPem(), "CA key does not belong to the CA certificate"),
                Arguments.of(leaf.certificatePem(), leaf.privateKeyPem(), "CA certificate is not a CA"));
    }

    @ParameterizedTest
    @MethodSource("badPem")
    void fromPemErrorsNameTheSourceAndTheProblemButNeverTheContent(String certPem, String keyPem, String problem) {
        KdkException error = catchThrowableOfType(KdkException.class,
                () -> CertificateAuthority.fromPem(certPem, keyPem, "Secret dev/kdk-testing1-ca"));
        assertThat(error).isNotNull();
        assertThat(error.getMessage()).startsWith("Secret dev/kdk-testing1-ca: ").contains(problem)
                .doesNotContain("\n");
        assertNoContentLeaks(error, certPem, keyPem);
    }

    @Test
    void issuedCertificateFromPemRejectsAMismatchedKey() {
        IssuedCertificate one = ca.issueClient("a@example.com", List.of(), Duration.ofDays(1), NOW);
        IssuedCertificate two = ca.issueClient("a@example.com", List.of(), Duration.ofDays(1), NOW);
        assertThatThrownBy(() -> IssuedCertificate.fromPem(one.certificatePem(), two.privateKeyPem(), "kubeconfig x"))
                .isInstanceOf(KdkException.class)
                .hasMessage("kubeconfig x: client key does not belong to the client certificate");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(catchThrowableOfType(KdkException.class,
                () -> CertificateAuthority.generate(" ", Duration.ofDays(1), NOW)).exitCode())
                .isEqualTo(KdkException.USAGE);
        assertThat(catchThrowableOfType(KdkException.class,
                () -> ca.issueClient("a@example.com", List.of(), Duration.ZERO, NOW)).getMessage())
                .contains("validity must be positive");
        assertThat(catchThrowableOfType(KdkException.class,
                () -> ca.issueServer("x", List.of(), List.of("localhost"), Duration.ofDays(1), NOW)).getMessage())
                .isEqualTo("\"localhost\" is not an IP address (subjectAltName)");
    }

    @Test
    void toStringNeverShowsTheKey() {
        IssuedCertificate client = ca.issueClient("dev@example.com", List.of(), Duration.ofDays(1), NOW);
        String keyBody = client.privateKeyPem().split("\n")[1];
        assertThat(client.toString()).contains("dev@example.com").doesNotContain(keyBody).doesNotContain("PRIVATE");
        assertThat(ca.toString()).contains("kdk-testing1-ca").doesNotContain(ca.privateKeyPem().split("\n")[1]);
    }

    /** Neither the message of {@code error} nor of any cause contains a line of the given PEM texts. */
    static void assertNoContentLeaks(Throwable error, String... pems) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String pem : pems) {
                for (String line : pem.split("\n")) {
                    if (line.length() >= 16 && !line.startsWith("-----")) {
                        assertThat(message).doesNotContain(line.substring(0, 16));
                    }
                }
            }
        }
    }

    private static void assertP256(X509Certificate cert) {
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(((ECKey) cert.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        // The SubjectPublicKeyInfo names the curve prime256v1 (what Go and kubectl expect).
        assertThat(cert.getPublicKey().getEncoded()).containsSequence(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
                0x03, 0x01, 0x07);
    }

    private static byte[] subjectKeyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue("2.5.29.14");
        assertThat(ext).as("subjectKeyIdentifier").isNotNull();
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue("2.5.29.35");
        assertThat(ext).as("authorityKeyIdentifier").isNotNull();
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }
}
