package dev.kdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kdk.Main;
import dev.kdk.testing.MockHostCluster;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The install/uninstall/list/status/rotate-certs commands end to end through {@link Main}, against the mock. */
class ClusterCommandsTest {
    static final String EXAMPLE = Path.of(System.getProperty("kdk.repo.root", ".."), "values", "example.yaml")
            .toString();

    final MockHostCluster server = new MockHostCluster();
    @TempDir
    Path tmp;
    String kubeconfig;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void kubeconfig() throws IOException {
        kubeconfig = server.writeKubeconfig(tmp.resolve("host-config"), "kdk-test").toString();
    }

    @AfterEach
    void close() {
        server.close();
    }

    Run kdk(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--kubeconfig=" + kubeconfig);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void installTwiceThenListUninstall() {
        Run first = kdk("install", "-f", EXAMPLE, "--create-namespace");
        assertThat(first.err()).isEmpty();
        assertThat(first.code()).isZero();
        assertThat(first.out()).isEqualTo("""
                release kdk revision 1: in namespace kdk-test (namespace created)
                  testing1  9 created; new CA
                  testing2  9 created; new CA
                """);

        Run second = kdk("install", "-f", EXAMPLE);
        assertThat(second.out()).isEqualTo("""
                release kdk revision 2: in namespace kdk-test
                  testing1  unchanged
                  testing2  unchanged
                """);

        Run list = kdk("list", "-o", "json");
        assertThat(list.code()).isZero();
        JsonNode rows = Serialization.unmarshal(list.out(), JsonNode.class);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("owner").asText()).isEqualTo("testing2@example.org");
        assertThat(rows.get(1).get("phase").asText()).isEqualTo("Pending");

        Run table = kdk("list");
        assertThat(table.out()).startsWith("NAME       OWNER                  READY   PHASE     RESTARTS   AGE   CERT EXPIRES\n"
                + "testing1   testing1@example.org   0/1     Pending   0          ");

        assertThat(kdk("ls").out()).as("the alias").startsWith("NAME       OWNER")
                .contains("testing1   testing1@example.org   0/1     Pending", "testing2   testing2@example.org");

        Run status = kdk("status", "testing1");
        assertThat(status.out()).contains("Phase:       Pending: no pod yet", "Connect:     kdk connect testing1 -n kdk-test");

        Run uninstall = kdk("uninstall", "testing2");
        assertThat(uninstall.out()).isEqualTo("uninstalled testing2 (9 objects deleted)\n");
        assertThat(kdk("list", "-o", "yaml").out()).contains("name: \"testing1\"").doesNotContain("testing2");
    }

    @Test
    void dryRunsPrintWhatTheyWouldDoAndWriteNothing() {
        Run client = kdk("install", "-f", EXAMPLE, "--dry-run");
        assertThat(client.code()).isZero();
        assertThat(client.out()).startsWith("dry run (client): would apply the objects below in namespace kdk-test\n")
                .contains("  testing1  9 created\n").endsWith("nothing was written (`kdk template` prints the manifests)\n");
        Run server1 = kdk("install", "-f", EXAMPLE, "--dry-run=server", "--create-namespace");
        assertThat(server1.code()).isZero();
        assertThat(server.api().writes()).isEmpty();
    }

    @Test
    void errorsAreOneLineWithExitCodes() throws IOException {
        server.api().requireNamespaces(true);
        Run missing = kdk("install", "-f", EXAMPLE);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("error: namespace kdk-test does not exist: create it, or pass "
                + "--create-namespace\n");

        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "clusters:\n  Bad_Name:\n    email: nope\n");
        Run invalid = kdk("install", "-f", bad.toString(), "--create-namespace");
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.out()).isEmpty();
        assertThat(server.api().writes()).isEmpty();

        Run deleteData = kdk("install", "-f", EXAMPLE, "--delete-data");
        assertThat(deleteData.code()).isEqualTo(2);
        assertThat(deleteData.err()).contains("--delete-data needs --prune");
    }

    @Test
    void waitTimesOutNamingWhatIsNotReady() {
        Run run = kdk("install", "-f", EXAMPLE, "--create-namespace", "--wait", "--timeout", "1s");
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).contains("waiting up to 1s for the clusters to be ready\n",
                "testing1  Pending   no pod yet\n");
        assertThat(run.err()).isEqualTo("""
                error: timed out after 1s: 2 of 2 clusters not ready
                error: testing1: Pending (no pod yet)
                error: testing2: Pending (no pod yet)
                """);
    }

    @Test
    void installedKubeconfigWorksWithTheRealKubectl() throws Exception {
        assertThat(kdk("install", "-f", EXAMPLE, "--create-namespace").code()).isZero();
        Run rotate = kdk("rotate-certs", "testing1");
        assertThat(rotate.out()).startsWith("rotated testing1: new client certificate for testing1@example.org, expires ");
        String config = server.client().secrets().inNamespace("kdk-test").withName("kdk-testing1-kubeconfig").get()
                .getData().get("config");
        Path file = Files.writeString(tmp.resolve("dev-config"),
                new String(Base64.getDecoder().decode(config), StandardCharsets.UTF_8));
        Process kubectl = new ProcessBuilder("kubectl", "config", "view", "--raw", "--minify", "--kubeconfig",
                file.toString(), "-o", "jsonpath={.contexts[0].name} {.clusters[0].cluster.server}")
                .redirectErrorStream(true).start();
        assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kubectl.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("kdk-testing1 https://127.0.0.1:16443");
    }

    @Test
    void badInputIsOneErrorLineAndExitsWithTwo() {
        Run both = kdk("uninstall", "testing1", "--all");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err().lines().toList()).containsExactly("error: give cluster names or --all, not both",
                "run `kdk uninstall --help` for usage");
        assertThat(server.api().journal()).as("nothing sent to the host").isEmpty();

        Run unknown = kdk("list", "--outptu", "json");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("error: Unknown options: '--outptu'")
                .contains("Possible solutions: --output").doesNotContain("Usage:");
    }
}
