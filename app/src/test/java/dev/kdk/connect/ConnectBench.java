package dev.kdk.connect;

import dev.kdk.Main;
import dev.kdk.pki.CertificateAuthority;
import dev.kdk.pki.Kubeconfigs;
import dev.kdk.testing.FakeApiServer;
import dev.kdk.testing.LoopbackServer;
import dev.kdk.testing.MockHostCluster;
import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark of {@code kdk connect} against the mock host API, served over TLS as real API servers are (run by
 * {@code scripts/bench}; not a test). kdk runs in its own process, through scripts/kdk as users run it and, for
 * comparison, by {@code java} with the JVM's defaults:
 * <ol>
 *   <li>time from starting {@code kdk connect testing1 -- true} to the forward being ready (TLS handshake through
 *       it done, the ". running" line) and to exit;</li>
 *   <li>throughput (MB/s) of a bulk download and upload through the forward of a running {@code kdk connect}
 *       (local socket, WebSocket stream over TLS, the mock's kubelet bridge in this JVM), against the same transfer
 *       over plain loopback and through fabric8's own LocalPortForward in this JVM, after a warm-up of every path in
 *       both directions; then the peak RSS of those sessions;</li>
 *   <li>resident memory (VmRSS, VmHWM) of the kdk process during a session that has run kubectl twice.</li>
 * </ol>
 * Arguments: {@code [runs] [megabytes]}, default 5 and 256; 0 runs measures throughput only.
 */
public final class ConnectBench {
    /** kdk run by {@code java} with the JVM's defaults, from the test classpath: what the launcher buys. */
    private static final List<String> JVM_DEFAULTS = List.of();
    /**
     * kdk run as users run it, through scripts/kdk (the jar, its class-data sharing archive, its JVM options); only
     * when {@code kdk.repo.root} names the repository (scripts/bench sets it).
     */
    private static final List<String> LAUNCHER = List.of("scripts/kdk");

    /** Timed transfers per path and direction; the median is reported. */
    private static final int THROUGHPUT_ROUNDS = 3;

    private ConnectBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Path tmp = Files.createTempDirectory("kdk-bench");
        CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), Instant.now());
        // the host API over TLS, as real ones are: a forward's bytes are encrypted on their way to it
        try (FakeApiServer api = FakeApiServer.start(ca);
                MockHostCluster host = new MockHostCluster("kdk-system", true)) {
            InetSocketAddress apiAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), api.port());
            host.api().backend(16443, apiAddress);
            host.createPod("testing1", true);
            host.createKubeconfigSecret("testing1", "config", Kubeconfigs.build("kdk-testing1",
                    "https://127.0.0.1:16443", ca.certificatePem(), ca.issueClient("dev@example.org",
                            List.of("system:masters"), Duration.ofDays(1), Instant.now())));
            Path hostKubeconfig = host.writeKubeconfig(tmp.resolve("host-kubeconfig"), host.namespace());

            List<List<String>> variants = new ArrayList<>(List.of(JVM_DEFAULTS));
            if (launcher() != null) {
                variants.add(LAUNCHER);
                // builds the jar and its archive when needed, so that no timed run does
                new ProcessBuilder(launcher().toString(), "--version").inheritIO()
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                // A user's first connect after a build records what the archive lacks, and the next start folds it
                // in, in the background: do both untimed, and wait for the fold, so the figures are every day's.
                kdk(LAUNCHER, hostKubeconfig, tmp, "connect", "testing1", "-q", "--", "true").waitFor();
                new ProcessBuilder(launcher().toString(), "--version")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                Path folding = launcher().getParent().resolveSibling("app/target/kdk.jsa.tmp.list");
                for (int i = 0; i < 600 && Files.exists(folding); i++) {
                    Thread.sleep(200);
                }
            }
            if (runs > 0) {
                for (List<String> jvm : variants) {
                    startup(runs, jvm, hostKubeconfig, tmp);
                }
                warm(runs, hostKubeconfig);
            }
            throughput(host, apiAddress, megabytes,
                    launcher() != null ? List.of(LAUNCHER, JVM_DEFAULTS) : List.of(JVM_DEFAULTS), hostKubeconfig, tmp);
            if (runs > 0) {
                for (List<String> jvm : variants) {
                    memory(jvm, hostKubeconfig, tmp);
                }
            }
        } finally {
            dev.kdk.pki.SecureFiles.deleteRecursively(tmp);
        }
    }

    private static void startup(int runs, List<String> jvm, Path hostKubeconfig, Path tmp) throws Exception {
        double[] ready = new double[runs];
        double[] exit = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process p = kdk(jvm, hostKubeconfig, tmp, "connect", "testing1", "--", "true");
            long readyAt = -1;
            try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    if (line.startsWith(". running true")) {
                        readyAt = System.nanoTime();
                    }
                    if (line.startsWith("error")) {
                        System.err.println(line);
                    }
                }
            }
            int code = p.waitFor();
            long end = System.nanoTime();
            if (code != 0 || readyAt < 0) {
                throw new IllegalStateException("kdk connect failed with exit code " + code);
            }
            ready[i] = (readyAt - start) / 1e9;
            exit[i] = (end - start) / 1e9;
        }
        System.out.printf(Locale.ROOT, "connect -- true %s: start to ready forward median %.2f s (runs: %s)%n",
                jvm, median(ready), format(ready));
        System.out.printf(Locale.ROOT, "connect -- true %s: start to exit median %.2f s (runs: %s)%n",
                jvm, median(exit), format(exit));
    }

    /** The same steps in an already running JVM: what kdk's own work costs, without JVM start-up. */
    private static void warm(int runs, Path hostKubeconfig) {
        double[] warm = new double[runs];
        for (int i = 0; i < runs + 2; i++) {
            long start = System.nanoTime();
            int code = Main.run(new String[] {"connect", "testing1", "--kubeconfig", hostKubeconfig.toString(), "-q",
                "--", "true"}, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            if (code != 0) {
                throw new IllegalStateException("in-process connect failed: " + code);
            }
            if (i >= 2) {
                warm[i - 2] = (System.nanoTime() - start) / 1e9;
            }
        }
        System.out.printf(Locale.ROOT, "connect -- true: in a warm JVM (no start-up) median %.2f s  (runs: %s)%n",
                median(warm), format(warm));
    }

    /**
     * Bulk transfers through running {@code kdk connect} sessions (separate processes, started as users start them),
     * interleaved with the same transfer over plain loopback and through fabric8's own LocalPortForward in this JVM.
     * While this runs, the pod's port 16443 serves both: kdk's TLS probe is relayed to the fake API server, bulk
     * transfers go to {@link LoopbackServer#bulk()}'s protocol.
     */
    private static void throughput(MockHostCluster host, InetSocketAddress api, int megabytes,
            List<List<String>> sessions, Path hostKubeconfig, Path tmp) throws Exception {
        long size = megabytes * 1024L * 1024L;
        List<String> names = new ArrayList<>();
        List<InetSocketAddress> paths = new ArrayList<>();
        List<Process> running = new ArrayList<>();
        try (LoopbackServer pod = LoopbackServer.bulkOr(api);
                var fabric8 = host.client().pods().withName("kdk-testing1-0")
                        .portForward(16443, InetAddress.getLoopbackAddress(), 0)) {
            host.api().backend(16443, pod.address());
            names.add("plain loopback");
            paths.add(pod.address());
            for (List<String> jvm : sessions) {
                int port = freePort();
                running.add(session(jvm, hostKubeconfig, tmp, port));
                names.add("kdk connect " + jvm);
                paths.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
            names.add("fabric8's LocalPortForward in the bench JVM");
            paths.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), fabric8.getLocalPort()));
            for (char mode : new char[] {'D', 'U'}) {
                for (InetSocketAddress path : paths) {
                    transfer(path, mode, 16L * 1024 * 1024); // warm-up: every path's code compiled before timing
                }
            }
            for (char mode : new char[] {'D', 'U'}) {
                // rounds interleave the paths, so a burst of load on the machine hits them alike
                double[][] rates = new double[paths.size()][THROUGHPUT_ROUNDS];
                for (int round = 0; round < THROUGHPUT_ROUNDS; round++) {
                    for (int p = 0; p < paths.size(); p++) {
                        rates[p][round] = transfer(paths.get(p), mode, size);
                    }
                }
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s %d MB (median of %d):",
                        mode == 'D' ? "download" : "upload", megabytes, THROUGHPUT_ROUNDS));
                for (int p = 0; p < paths.size(); p++) {
                    line.append(String.format(Locale.ROOT, "%n  %-50s %5.0f MB/s (runs: %s)", names.get(p),
                            median(rates[p]), format(rates[p], "%.0f")));
                }
                System.out.println(line);
            }
        } finally {
            host.api().backend(16443, api);
            for (int i = 0; i < running.size(); i++) {
                Process p = running.get(i);
                p.getOutputStream().close(); // ends the session's `cat`; the shell then reports kdk's peak RSS
                String peak = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroy();
                }
                System.out.println("kdk connect " + sessions.get(i) + " after the transfers: "
                        + peak.replaceAll("[ \\t]+", " "));
            }
        }
    }

    /**
     * Starts a session that waits for its stdin to close, then prints kdk's peak RSS (VmHWM), and returns once its
     * forward is ready.
     */
    private static Process session(List<String> jvm, Path hostKubeconfig, Path tmp, int port) throws IOException {
        Process p = kdk(jvm, hostKubeconfig, tmp, false, "connect", "testing1", "--port", Integer.toString(port),
                "--", "sh", "-c", "cat >/dev/null; grep VmHWM /proc/$PPID/status");
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = err.readLine()) != null && !line.startsWith(". running sh")) {
            if (line.startsWith("error")) {
                System.err.println(line);
            }
        }
        if (line == null) {
            throw new IllegalStateException("kdk connect " + jvm + " ended before its forward was ready");
        }
        Thread drain = new Thread(() -> {
            try {
                err.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // session over
            }
        }, "drain");
        drain.setDaemon(true);
        drain.start();
        return p;
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Transfers {@code size} bytes in direction {@code mode}; returns MB/s. */
    private static double transfer(InetSocketAddress address, char mode, long size) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(60_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeByte(mode);
            out.writeLong(size);
            out.flush();
            InputStream in = s.getInputStream();
            if (mode == 'D') {
                long got = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got += n;
                }
                if (got != size) {
                    throw new IOException("received " + got + " of " + size + " bytes");
                }
            } else {
                for (long left = size; left > 0; left -= buf.length) {
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
                out.flush();
                if (in.read() != 1) {
                    throw new IOException("upload was not acknowledged");
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return size / 1024.0 / 1024.0 / seconds;
    }

    private static void memory(List<String> jvm, Path hostKubeconfig, Path tmp) throws Exception {
        Process p = kdk(jvm, hostKubeconfig, tmp, "connect", "testing1", "-q", "--", "sh", "-c",
                "kubectl get --raw /readyz >/dev/null && kubectl get --raw /readyz >/dev/null"
                        + " && grep -E '^(VmRSS|VmHWM)' /proc/$PPID/status");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        System.out.println("kdk connect session memory " + jvm + ": "
                + String.join(", ", out.trim().replaceAll("[ \\t]+", " ").split("\n")));
    }

    private static Process kdk(List<String> jvm, Path hostKubeconfig, Path tmp, String... args) throws IOException {
        return kdk(jvm, hostKubeconfig, tmp, true, args);
    }

    /** Starts kdk with {@code args}; its stdin is /dev/null, or (if not {@code noInput}) a pipe. */
    private static Process kdk(List<String> jvm, Path hostKubeconfig, Path tmp, boolean noInput, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (jvm == LAUNCHER) {
            command.add(launcher().toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvm);
            command.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()));
        }
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command);
        if (noInput) {
            b.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        if (jvm == LAUNCHER) {
            // options given to the bench (say, to profile) reach kdk too
            b.environment().put("KDK_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp + " "
                    + System.getenv().getOrDefault("KDK_JAVA_OPTS", ""));
        }
        b.environment().put("KUBECONFIG", hostKubeconfig.toString());
        b.environment().remove("KDK_CLUSTER");
        b.environment().remove("KDK_HOST_KUBECONFIG");
        return b.start();
    }

    /** scripts/kdk of the repository named by system property {@code kdk.repo.root}, or null. */
    private static Path launcher() {
        String root = System.getProperty("kdk.repo.root");
        Path script = root == null ? null : Path.of(root, "scripts", "kdk");
        return script != null && Files.isExecutable(script) ? script : null;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String format(double[] values) {
        return format(values, "%.2f");
    }

    private static String format(double[] values, String pattern) {
        StringBuilder b = new StringBuilder();
        for (double v : values) {
            b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, pattern, v));
        }
        return b.toString();
    }
}
