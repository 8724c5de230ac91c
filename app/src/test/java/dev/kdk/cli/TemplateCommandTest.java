package dev.kdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.testing.Cli;
import dev.kdk.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateCommandTest {
    static final String EXAMPLE = Golden.repoRoot().resolve("values/example.yaml").toString();

    @Test
    void printsEveryManifestOfEveryCluster() {
        Cli.Result r = Cli.run("template", "-f", EXAMPLE, "-n", "team");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("# Source: chart-templates/statefulset.yaml.j2", "name: \"kdk-testing1\"",
                "name: \"kdk-testing2\"", "namespace: \"team\"");
        assertThat(r.out().split("(?m)^---$")).hasSize(1 + 2 * 9);
    }

    @Test
    void clusterFlagRendersOneClusterAndRejectsUnknownOnes() {
        Cli.Result one = Cli.run("template", "-f", EXAMPLE, "--cluster", "testing2");
        assertThat(one.out()).contains("kdk-testing2").doesNotContain("kdk-testing1");
        Cli.Result bad = Cli.run("template", "-f", EXAMPLE, "--cluster", "nobody");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).isEqualTo("error: no cluster `nobody` in the values; clusters: testing1, testing2\n");
    }

    @Test
    void showOnlyRendersTheNamedTemplatesAndRejectsUnknownOnesAndPartials() {
        Cli.Result r = Cli.run("template", "-f", EXAMPLE, "-s", "statefulset.yaml.j2",
                "--show-only", "chart-templates/secret-ca.yaml.j2");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().split("(?m)^---$")).hasSize(1 + 2 * 2);
        assertThat(r.out()).contains("kind: StatefulSet", "kind: Secret").doesNotContain("kind: ConfigMap");

        Cli.Result unknown = Cli.run("template", "-f", EXAMPLE, "-s", "deployment.yaml.j2");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).startsWith("error: no template deployment.yaml.j2 in chart-templates (templates: "
                + "configmap.yaml.j2, ");
        Cli.Result partial = Cli.run("template", "-f", EXAMPLE, "-s", "_kind-config.yaml.j2");
        assertThat(partial.exitCode()).isEqualTo(2);
        assertThat(partial.err()).contains("is a partial");
    }

    @Test
    void invalidValuesPrintEveryProblemNoStackTraceAndNothingOnStdout(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("bad.yaml");
        Files.writeString(values, "clusters:\n  Bob:\n    email: nope\n");
        Cli.Result r = Cli.run("template", "-f", values.toString(), "--set", "kind.workers=x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(String.join("\n",
                "error: --set[1]:1:1: kind.workers: expected a whole number, got a string (\"x\")",
                "error: " + values + ":2:3: clusters.Bob: cluster name `Bob` must be a DNS-1123 label: lower-case letters,"
                        + " digits and `-`, starting and ending with a letter or digit",
                "error: " + values + ":3:5: clusters.Bob.email: `nope` is not an email address (one line, such as dev@example.org)",
                ""));
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = Cli.run("template", "-v", "-f", "/nonexistent/values.yaml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("/nonexistent/values.yaml: no such values file; check the path given to -f", "\tat ");
    }

    @Test
    void valuesFromStdinAndSetString(@TempDir Path dir) {
        System.setIn(new java.io.ByteArrayInputStream("clusters: {zed: {email: zed@example.org}}\n".getBytes()));
        try {
            Cli.Result r = Cli.run("template", "-f", "-", "--set-string", "image.tag=1.10");
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.out()).contains("kdk-zed", "image: \"registry.example.org/kdk/kdk-node:1.10\"");
        } finally {
            System.setIn(System.in);
        }
    }

    @Test
    void outputDirWritesOnePrivateFilePerCluster(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("manifests");
        Cli.Result r = Cli.run("template", "-f", EXAMPLE, "--output-dir", out.toString(), "--release", "team");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("team-testing1.yaml", "team-testing2.yaml");
        }
        Path file = out.resolve("team-testing1.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("name: \"team-testing1-kubeconfig\"").doesNotContain("testing2");
    }

    @Test
    void freshCertificatesDifferPerClusterAndPerRun() {
        String first = Cli.run("template", "-f", EXAMPLE).out();
        String second = Cli.run("template", "-f", EXAMPLE).out();
        assertThat(caData(first, "testing1")).isNotEqualTo(caData(second, "testing1"))
                .isNotEqualTo(caData(first, "testing2"));
    }

    private static String caData(String out, String cluster) {
        int at = out.indexOf("name: \"kdk-" + cluster + "-ca\"");
        int key = out.indexOf("tls.crt: ", at);
        return out.substring(key, out.indexOf('\n', key));
    }

    @Test
    void helpVersionAndCompletion() {
        assertThat(Cli.run("--version").out()).startsWith("kdk ");
        Cli.Result help = Cli.run("template", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--values", "--set-string", "--chart-templates", "--output-dir", "--cluster");
        Cli.Result completion = Cli.run("completion", "bash");
        assertThat(completion.exitCode()).isZero();
        // the script covers every command and its options, though `kdk completion` parses with its own command only
        assertThat(completion.out()).contains("complete -F", "template", "install", "uninstall", "rotate-certs",
                "connect", "kubeconfig", "--show-only", "--create-namespace", "--delete-data", "--kubeconfig");
        assertThat(Cli.run("completion", "fish").exitCode()).isEqualTo(2);
        assertThat(Cli.run("--help").out()).contains("template", "install", "uninstall", "list, ls", "status",
                "rotate-certs", "connect", "kubeconfig", "completion");
        assertThat(Cli.run("conect").err()).contains("Did you mean: kdk connect");
    }
}
