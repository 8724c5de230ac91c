package dev.kdk.pki;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.testing.FakeApiServer;
import dev.kdk.testing.Processes;
import io.fabric8.kubernetes.api.model.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubeconfigs kdk writes, read by the real kubectl: parsed by {@code config view}, and used for a real TLS
 * handshake with client certificates against {@link FakeApiServer}.
 */
class KubectlKubeconfigTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private final CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(3650),
            now);
    private final IssuedCertificate client = ca.issueClient("dev+kdk@example.com", List.of("system:masters"),
            Duration.ofDays(365), now);

    @Test
    void kubectlLoadsTheKubeconfig() {
        Path file = write("config", Kubeconfigs.build("kdk-testing1", "https://127.0.0.1:16443",
                ca.certificatePem(), client));

        Processes.Result view = kubectl(file, "config", "view", "--raw", "--minify");

        assertThat(view.exitCode()).as(view.toString()).isZero();
        Config seen = Kubeconfigs.parse(view.stdout(), "kubectl config view");
        assertThat(seen.getCurrentContext()).isEqualTo("kdk-testing1");
        assertThat(seen.getContexts()).singleElement().satisfies(context -> {
            assertThat(context.getName()).isEqualTo("kdk-testing1");
            assertThat(context.getContext().getCluster()).isEqualTo("kdk-testing1");
            assertThat(context.getContext().getUser()).isEqualTo("kdk-testing1");
        });
        assertThat(seen.getClusters()).singleElement().satisfies(cluster -> {
            assertThat(cluster.getName()).isEqualTo("kdk-testing1");
            assertThat(cluster.getCluster().getServer()).isEqualTo("https://127.0.0.1:16443");
        });
        assertThat(Kubeconfigs.certificateAuthorityPem(seen, "kubectl")).contains(ca.certificatePem());
        assertThat(Kubeconfigs.clientCertificate(seen, "kubectl").orElseThrow().certificate())
                .isEqualTo(client.certificate());
    }

    @Test
    void kubectlCompletesATlsHandshakeWithTheClientCertificate() {
        try (FakeApiServer server = FakeApiServer.start(
                ca.issueServer("kube-apiserver", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1), now),
                ca)) {
            // What install stores (server 127.0.0.1:16443), rewritten as connect does for its local port.
            String stored = Kubeconfigs.build("kdk-testing1", "https://127.0.0.1:16443", ca.certificatePem(),
                    client);
            Path file = write("config", Kubeconfigs.withServer(stored, server.url(), "test"));

            Processes.Result readyz = kubectl(file, "get", "--raw", "/readyz");

            assertThat(readyz.exitCode()).as(readyz.toString()).isZero();
            assertThat(readyz.stdout()).isEqualTo("ok");
            // The server saw the developer's identity from the client certificate (kubectl may ask /version first).
            assertThat(server.requests()).contains(new FakeApiServer.Request("GET", "/readyz", "dev+kdk@example.com"))
                    .allSatisfy(request -> assertThat(request.clientCommonName()).isEqualTo("dev+kdk@example.com"));

            Processes.Result version = kubectl(file, "version", "-o", "json");
            assertThat(version.exitCode()).as(version.toString()).isZero();
            assertThat(version.stdout()).contains("\"gitVersion\": \"v1.32.0\"");
        }
    }

    @Test
    void aClientCertificateFromAnotherCaIsRejected() {
        CertificateAuthority stranger = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), now);
        IssuedCertificate foreign = stranger.issueClient("dev@example.com", List.of("system:masters"),
                Duration.ofDays(1), now);
        try (FakeApiServer server = FakeApiServer.start(ca)) {
            Path file = write("config", Kubeconfigs.build("kdk-testing1", server.url(), ca.certificatePem(), foreign));

            Processes.Result readyz = kubectl(file, "get", "--raw", "/readyz");

            // The server ends the TLS session (kubectl: "Unable to connect to the server: EOF", after retries).
            assertThat(readyz.exitCode()).as(readyz.toString()).isNotZero();
            assertThat(readyz.stdout()).isEmpty();
            assertThat(readyz.stderr()).contains("Unable to connect to the server");
            assertThat(server.requests()).isEmpty();
        }
    }

    @Test
    void aServerSignedByAnotherCaIsRejected() {
        CertificateAuthority stranger = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), now);
        try (FakeApiServer server = FakeApiServer.start(stranger.issueServer("kube-apiserver", List.of("localhost"),
                List.of("127.0.0.1"), Duration.ofDays(1), now), ca)) {
            Path file = write("config", Kubeconfigs.build("kdk-testing1", server.url(), ca.certificatePem(), client));

            Processes.Result readyz = kubectl(file, "get", "--raw", "/readyz");

            assertThat(readyz.exitCode()).as(readyz.toString()).isNotZero();
            assertThat(readyz.stderr()).contains("x509");
            assertThat(server.requests()).isEmpty();
        }
    }

    private Path write(String name, String content) {
        Path file = dir.resolve(name);
        SecureFiles.writePrivate(file, content);
        return file;
    }

    /** kubectl with only {@code file} as kubeconfig and a private HOME (no ~/.kube of the machine). */
    private Processes.Result kubectl(Path file, String... args) {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig", file.toString(),
                "--request-timeout=20s"));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>();
        environment.put("KUBECONFIG", null);
        environment.put("HOME", dir.toString());
        return Processes.run(TIMEOUT, environment, command);
    }
}
