package dev.kdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.pki.CertificateAuthority;
import dev.kdk.testing.Cli;
import dev.kdk.testing.FakeApiServer;
import dev.kdk.testing.MockHostCluster;
import dev.kdk.testing.Processes;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's whole journey against one mock host cluster: the admin runs {@code kdk install -f values/example.yaml},
 * the cluster's pod comes up from the installed StatefulSet, and the developer runs
 * {@code kdk connect testing1 -- kubectl get --raw /readyz} (kdk in its own JVM, the real kubectl) through the
 * port-forward bridge to an HTTPS server whose certificate is issued by the CA that install stored in Secret
 * {@code kdk-testing1-ca}. It passes only if the installed kubeconfig Secret, the installed CA and connect agree:
 * kubectl trusts the server through the kubeconfig's CA data, the server accepts the kubeconfig's client certificate
 * only if the installed CA signed it, and connect finds the pod by the labels install gave it.
 */
@Timeout(120)
class InstallConnectJourneyTest {
    private static final String NAMESPACE = "kdk-journey";
    private static final String EXAMPLE = Path.of(System.getProperty("kdk.repo.root", ".."), "values",
            "example.yaml").toString();

    @TempDir
    Path tmp;

    private final MockHostCluster host = new MockHostCluster(NAMESPACE);
    private FakeApiServer innerApi;

    @AfterEach
    void close() {
        host.close();
        if (innerApi != null) {
            innerApi.close();
        }
    }

    @Test
    void installThenConnectReachesTheClusterWithTheInstalledCredentials() throws IOException {
        Path hostKubeconfig = host.writeKubeconfig(tmp.resolve("home/.kube/config"), NAMESPACE);

        Cli.Result install = Cli.run("install", "-f", EXAMPLE, "--create-namespace",
                "--kubeconfig", hostKubeconfig.toString());
        assertThat(install.exitCode()).as(install.err()).isZero();

        Secret caSecret = host.client().secrets().withName("kdk-testing1-ca").get();
        assertThat(caSecret).as("Secret kdk-testing1-ca written by install").isNotNull();
        CertificateAuthority ca = CertificateAuthority.fromPem(decode(caSecret, "tls.crt"), decode(caSecret, "tls.key"),
                "Secret kdk-testing1-ca");
        innerApi = FakeApiServer.start(ca);
        host.api().backend(16443, new InetSocketAddress(InetAddress.getLoopbackAddress(), innerApi.port()));
        host.startStatefulSetPod("kdk-testing1");

        Path sessions = Files.createDirectories(tmp.resolve("sessions"));
        List<String> command = new ArrayList<>(Cli.jvmCommand(sessions));
        command.addAll(List.of("connect", "testing1", "--", "kubectl", "get", "--raw", "/readyz"));
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", hostKubeconfig.toString());
        env.put("HOME", tmp.resolve("home").toString());
        env.put("KDK_CLUSTER", null); // not inside another kdk shell
        env.put("KDK_HOST_KUBECONFIG", null);
        Processes.Result connect = Processes.run(Duration.ofSeconds(60), env, command);

        assertThat(connect.exitCode()).as(connect.toString()).isZero();
        assertThat(connect.stdout().trim()).isEqualTo("ok");
        assertThat(innerApi.requests()).anySatisfy(request -> {
            assertThat(request.path()).isEqualTo("/readyz");
            assertThat(request.clientCommonName()).isEqualTo("testing1@example.org");
        });
    }

    private static String decode(Secret secret, String key) {
        assertThat(secret.getData()).containsKey(key);
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
}
