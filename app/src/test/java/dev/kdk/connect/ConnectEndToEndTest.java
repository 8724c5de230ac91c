package dev.kdk.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.Main;
import dev.kdk.pki.CertificateAuthority;
import dev.kdk.pki.Kubeconfigs;
import dev.kdk.testing.Cli;
import dev.kdk.testing.FakeApiServer;
import dev.kdk.testing.MockHostCluster;
import dev.kdk.testing.Processes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kdk connect} as users run it: kdk in its own JVM, the real kubectl in the subshell, the mock host API's
 * WebSocket port-forward bridged to a real HTTPS server that holds a certificate from kdk's PKI and requires the
 * client certificate from the kubeconfig in the Secret.
 */
@Timeout(120)
class ConnectEndToEndTest {
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private static final String NAMESPACE = "kdk-system";

    private MockHostCluster host;
    private FakeApiServer api;
    private Path hostKubeconfig;
    private Path sessions;

    @BeforeEach
    void setUp() throws IOException {
        CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), Instant.now());
        api = FakeApiServer.start(ca);
        host = new MockHostCluster(NAMESPACE);
        host.api().backend(16443, new InetSocketAddress(InetAddress.getLoopbackAddress(), api.port()));
        for (String cluster : List.of("testing1", "testing2")) {
            host.createPod(cluster, true);
            host.createKubeconfigSecret(cluster, "config", Kubeconfigs.build("kdk-" + cluster,
                    "https://127.0.0.1:16443", ca.certificatePem(), ca.issueClient(cluster + "@example.org",
                            List.of("system:masters"), Duration.ofDays(1), Instant.now())));
        }
        hostKubeconfig = host.writeKubeconfig(tmp.resolve("home/host-kubeconfig"), NAMESPACE);
        sessions = Files.createDirectories(tmp.resolve("sessions"));
    }

    @AfterEach
    void tearDown() {
        host.close();
        api.close();
    }

    @Test
    void kubectlReachesTheInnerApiServerThroughTheWholeChain() throws IOException {
        Path stale = staleSessionDirectory();
        boolean defaultPortFree = isFree(16443);

        Processes.Result r = kdk(Map.of(), "connect", "testing1", "--", "kubectl", "get", "--raw", "/readyz");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("ok");
        List<String> expected = new ArrayList<>(List.of("Setting up access to kdk-testing1",
                ". writing kubeconfig for kdk-testing1", ". tightening permissions for kubeconfig",
                ". getting port number"));
        if (defaultPortFree) {
            expected.add(". forwarding 16443");
        }
        expected.addAll(List.of(". waiting for port forward to complete",
                ". running kubectl get --raw /readyz"));
        assertThat(r.stderr().lines().filter(l -> !l.startsWith(". port ") && !l.startsWith(". forwarding 16443 ("))
                .toList()).containsExactlyElementsOf(expected);
        assertThat(api.requests()).anySatisfy(req -> {
            assertThat(req.path()).isEqualTo("/readyz");
            assertThat(req.clientCommonName()).isEqualTo("testing1@example.org");
        });
        assertThat(Files.exists(stale)).as("stale session directory of a dead kdk").isFalse();
        assertThat(sessionDirectories()).as("session directories left behind").isEmpty();
    }

    @Test
    void withoutACommandTheShellRunsAfterTheSeedsLines() throws IOException {
        Processes.Result r = kdk(Map.of("SHELL", "/bin/sh"), "connect", "testing1", "--port", "0");

        assertThat(r.exitCode()).as(r.toString()).isZero(); // the shell read EOF from /dev/null and exited
        List<String> lines = r.stderr().lines().toList();
        int launch = lines.indexOf(". launching sub-shell (when finished type exit to return)");
        assertThat(launch).as(r.toString()).isPositive(); // exit code, stdout and stderr if it fails
        assertThat(lines.subList(launch + 1, launch + 4)).containsExactly("", "To launch further shells run:", "");
        assertThat(lines.get(launch + 4)).matches("KUBECONFIG=" + java.util.regex.Pattern.quote(sessions.toString())
                + "/kdk-connect-[^/]+/config \\$SHELL");
    }

    @Test
    void theSubshellGetsAPrivateKubeconfigAndTheSessionVariables() throws IOException {
        Processes.Result r = kdk(Map.of("SHELL", "/bin/sh"), "connect", "kdk-testing1", "-q", "--",
                "sh", "-c", "stat -c '%a' \"$(dirname \"$KUBECONFIG\")\" \"$KUBECONFIG\"; echo \"$KDK_CLUSTER\";"
                        + " echo \"$KDK_HOST_KUBECONFIG\"; echo \"$KDK_HOST_NAMESPACE\"; kubectl config view --minify"
                        + " -o 'jsonpath={.clusters[0].cluster.server}'; echo; exit 7");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(7);
        List<String> out = r.stdout().lines().toList();
        assertThat(out.subList(0, 5)).containsExactly("700", "600", "testing1", hostKubeconfig.toString(),
                NAMESPACE);
        assertThat(out.get(5)).matches("https://127\\.0\\.0\\.1:\\d+");
        assertThat(r.stderr()).as("-q").isEmpty();
        assertThat(sessionDirectories()).isEmpty();
    }

    @Test
    void aBusyDefaultPortIsReportedWithItsOwnerAndAnotherPortIsUsed() throws IOException {
        try (ServerSocket squatter = bindOrNull(16443)) {
            Processes.Result r = kdk(Map.of(), "connect", "testing1", "--", "sh", "-c",
                    "kubectl config view --minify -o 'jsonpath={.clusters[0].cluster.server}'; echo;"
                            + " kubectl get --raw /readyz");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            String port = r.stdout().lines().findFirst().orElseThrow().replaceAll(".*:", "");
            assertThat(port).isNotEqualTo("16443");
            assertThat(r.stdout().lines().toList()).endsWith("ok");
            assertThat(r.stderr()).contains(". forwarding 16443 (local port " + port + ")");
            assertThat(r.stderr()).containsPattern("\\. port 16443 is in use( by PID \\d+.*)?; using " + port);
            if (squatter != null) {
                assertThat(r.stderr()).contains("in use by PID " + ProcessHandle.current().pid());
            }

            Processes.Result insist = kdk(Map.of(), "connect", "testing1", "--port", "16443", "--", "true");
            assertThat(insist.exitCode()).isEqualTo(1);
            assertThat(insist.stderr()).contains("error: local port 16443 on 127.0.0.1 is in use");
        }
    }

    @Test
    void connectWorksFromInsideAnotherClustersShell() {
        // the outer subshell runs a second kdk, exactly as a developer would type it there
        List<String> inner = new ArrayList<>(javaCommand());
        inner.addAll(List.of("connect", "testing2", "--", "kubectl", "get", "--raw", "/readyz"));
        List<String> args = new ArrayList<>(List.of("connect", "testing1", "--"));
        args.addAll(inner);

        Processes.Result r = kdk(Map.of(), args.toArray(String[]::new));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().trim()).isEqualTo("ok");
        assertThat(r.stderr()).contains("connecting from inside cluster testing1's shell, using the host kubeconfig "
                + hostKubeconfig);
        assertThat(r.stderr()).contains("Setting up access to kdk-testing2");
        assertThat(api.requests()).anySatisfy(req -> assertThat(req.clientCommonName())
                .isEqualTo("testing2@example.org"));
    }

    @Test
    void aPodRestartDuringTheSessionIsBridgedForTheNextKubectlCall() throws Exception {
        Path first = tmp.resolve("first-done");
        Path restarted = tmp.resolve("restarted");
        CompletableFuture<Processes.Result> session = CompletableFuture.supplyAsync(() -> kdk(Map.of(),
                "connect", "testing1", "--", "sh", "-c", "kubectl get --raw /readyz && echo && touch " + first
                        + " && while [ ! -f " + restarted + " ]; do sleep 0.1; done && kubectl get --raw /readyz"));
        awaitFile(first, session);

        host.setReady("testing1", false, 0);
        host.api().dropStreams();
        Files.createFile(restarted);
        Thread.sleep(800);
        host.setReady("testing1", true, 1);

        Processes.Result r = session.get(60, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout().lines().toList()).containsExactly("ok", "ok");
        assertThat(r.stderr()).contains("pod kdk-testing1-0 restarted; forward re-established");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TERM", "HUP"})
    void aSignalStopsTheSubshellAndRemovesTheSessionDirectory(String signal) throws Exception {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of("connect", "testing1", "--", "sleep", "300"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("kdk.log").toFile());
        environment(Map.of()).forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        Process kdk = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(tmp.resolve("kdk.log")).contains(". running sleep 300")
                    || kdk.descendants().findAny().isEmpty()) {
                String log = Files.readString(tmp.resolve("kdk.log"));
                assertThat(kdk.isAlive()).as(log).isTrue();
                assertThat(System.nanoTime()).as("kdk started the subshell in time; its output:%n%s", log)
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(sessionDirectories()).hasSize(1);
            List<ProcessHandle> children = kdk.descendants().toList();

            if (signal.equals("TERM")) {
                kdk.destroy(); // SIGTERM
            } else {
                assertThat(new ProcessBuilder("kill", "-s", signal, Long.toString(kdk.pid())).start().waitFor())
                        .isZero();
            }

            assertThat(kdk.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(sessionDirectories()).isEmpty();
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } finally {
            kdk.destroyForcibly();
        }
    }

    @Test
    void aMissingSecretIsNamed() {
        host.client().secrets().withName("kdk-testing1-kubeconfig").delete();
        Run r = inProcess("connect", "testing1", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("error: Secret kdk-testing1-kubeconfig not found in namespace kdk-system");
    }

    @Test
    void aSecretWithoutTheKeyIsNamed() {
        host.client().secrets().withName("kdk-testing1-kubeconfig").delete();
        host.createKubeconfigSecret("testing1", "kubeconfig", "irrelevant");
        Run r = inProcess("connect", "testing1", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("error: Secret kdk-testing1-kubeconfig in namespace kdk-system has no key `config`");
        assertThat(r.err).doesNotContain("irrelevant");
    }

    @Test
    void aForbiddenSecretNamesThePermissionAndTheRole() {
        host.api().forbid("get", "secrets");
        Run r = inProcess("connect", "testing1", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("forbidden: you may not get Secret kdk-testing1-kubeconfig in namespace kdk-system")
                .contains("Role kdk-testing1-user");
    }

    @Test
    void anUnreachableHostClusterIsNamedWithItsContext() throws IOException {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path gone = tmp.resolve("gone-kubeconfig");
        Files.writeString(gone, """
                apiVersion: v1
                kind: Config
                clusters: [{name: gone, cluster: {server: "https://127.0.0.1:%d"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: team, context: {cluster: gone, user: u, namespace: kdk-system}}]
                current-context: team
                """.formatted(closed));
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"connect", "testing1", "--kubeconfig", gone.toString(), "--", "true"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines()).hasSize(2).first().isEqualTo("Setting up access to kdk-testing1");
        assertThat(err.toString().lines().skip(1).findFirst().orElseThrow())
                .startsWith("error: cannot reach the Kubernetes API server https://127.0.0.1:" + closed
                        + "/ (context team): ").endsWith("check --kubeconfig/--context and that the cluster is up");
    }

    @Test
    void aForbiddenPortForwardNamesThePermissionAndTheRole() {
        host.api().forbid("*", "pods/portforward");
        Run r = inProcess("connect", "testing1", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("forbidden: you may not create pods/portforward on kdk-testing1-0 in namespace"
                + " kdk-system").contains("Role kdk-testing1-user");
    }

    @Test
    void tlsVerificationStaysOnAnApiServerFromAnotherCaIsRefused() {
        CertificateAuthority other = CertificateAuthority.generate("someone-else", Duration.ofDays(1), Instant.now());
        host.client().secrets().withName("kdk-testing1-kubeconfig").delete();
        host.createKubeconfigSecret("testing1", "config", Kubeconfigs.build("kdk-testing1", "https://127.0.0.1:16443",
                other.certificatePem(), other.issueClient("testing1@example.org", List.of("system:masters"),
                        Duration.ofDays(1), Instant.now())));
        Run r = inProcess("connect", "testing1", "--port", "0", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("error: TLS handshake through the port forward failed");
    }

    @Test
    void aFailedPodIsReportedWithItsLastEvent() {
        host.client().pods().withName("kdk-testing1-0").editStatus(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p)
                .editStatus().withPhase("Failed").endStatus().build());
        host.client().v1().events().resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata()
                .withName("kdk-testing1-0.1").endMetadata().withNewInvolvedObject().withKind("Pod")
                .withName("kdk-testing1-0").endInvolvedObject().withReason("Evicted")
                .withMessage("The node was low on resource: ephemeral-storage.")
                .withLastTimestamp("2026-01-01T00:00:00Z").build()).create();
        Run r = inProcess("connect", "testing1", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("error: pod kdk-testing1-0 in namespace kdk-system has failed: last event: Evicted:"
                + " The node was low on resource: ephemeral-storage.");
    }

    @Test
    void aPodThatNeverBecomesReadyTimesOut() {
        host.setReady("testing1", false, 0);
        Run r = inProcess("connect", "testing1", "--timeout", "1s", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains(". waiting for pod kdk-testing1-0 to be ready (Pending, ContainerCreating)")
                .contains("error: pod kdk-testing1-0 in namespace kdk-system is not ready after 1s");
    }

    @Test
    void aMissingPodListsTheClustersThatExist() {
        host.client().pods().withName("kdk-testing1-0").delete();
        Run r = inProcess("connect", "testing1", "--", "true");
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("error: pod kdk-testing1-0 not found in namespace kdk-system; clusters here: testing2");
    }

    @Test
    void badInputExitsWithTwo() {
        assertThat(inProcess("connect", "Not_A_Name", "--", "true").code).isEqualTo(2);
        assertThat(inProcess("connect", "testing1", "--timeout", "soon", "--", "true").code).isEqualTo(2);
        assertThat(inProcess("connect", "testing1", "--port", "70000", "--", "true").code).isEqualTo(2);
    }

    @Test
    void kubeconfigPrintsTheRewrittenKubeconfig() {
        Run r = inProcess("kubeconfig", "kdk-testing1", "--port", "16444");
        assertThat(r.code).as(r.err).isZero();
        var config = Kubeconfigs.parse(r.out, "output");
        assertThat(config.getClusters().get(0).getCluster().getServer()).isEqualTo("https://127.0.0.1:16444");
        assertThat(Kubeconfigs.certificateAuthorityPem(config, "output")).isPresent();
        assertThat(Kubeconfigs.clientCertificate(config, "output").orElseThrow().commonName())
                .isEqualTo("testing1@example.org");
    }

    // --- helpers

    private record Run(int code, String out, String err) {
    }

    private Run inProcess(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--kubeconfig", hostKubeconfig.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private Processes.Result kdk(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(List.of(args));
        return Processes.run(RUN, environment(env), command);
    }

    /** The JVM running kdk from the test classpath, with temp files in this test's own directory. */
    private List<String> javaCommand() {
        return Cli.jvmCommand(sessions);
    }

    private Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("KUBECONFIG", hostKubeconfig.toString());
        env.put("KDK_CLUSTER", null);
        env.put("KDK_HOST_KUBECONFIG", null);
        env.put("HOME", tmp.resolve("home").toString());
        env.putAll(extra);
        return env;
    }

    private List<Path> sessionDirectories() throws IOException {
        try (Stream<Path> s = Files.list(sessions)) {
            return s.filter(p -> p.getFileName().toString().startsWith(StaleSessions.PREFIX)).toList();
        }
    }

    /** A session directory whose owner process has exited, as a kdk killed with SIGKILL leaves it. */
    private Path staleSessionDirectory() throws IOException {
        Process dead = new ProcessBuilder("true").start();
        try {
            dead.waitFor();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        Path dir = Files.createDirectory(sessions.resolve(StaleSessions.PREFIX + "killed"));
        Files.writeString(dir.resolve(StaleSessions.OWNER_FILE), dead.pid() + " -");
        Files.writeString(dir.resolve("config"), "left behind");
        return dir;
    }

    private static void awaitFile(Path file, CompletableFuture<Processes.Result> session) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(file)) {
            if (session.isDone()) {
                throw new AssertionError("session ended early: " + session.get());
            }
            assertThat(System.nanoTime()).as("waiting for " + file).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = bindOrNull(port)) {
            return s != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static ServerSocket bindOrNull(int port) {
        try {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            return null;
        }
    }
}
