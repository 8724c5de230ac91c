package dev.kdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code scripts/kdk-entrypoint.sh} under {@code bash} in a temporary "pod": stub {@code docker},
 * {@code dockerd}, {@code kind} and {@code curl} executables (test resource {@code stub-tool.sh}) first on PATH, the
 * CA and kind config in temp files, and short poll intervals and bounds. The stubs append every call to
 * {@link #calls()}, one line "TOOL ARGS...". Close it to kill whatever is left (the entrypoint and its children).
 */
final class EntrypointHarness implements AutoCloseable {

  /** Bound for every wait on the entrypoint, generous against a loaded machine. */
  static final Duration BOUND = Duration.ofSeconds(30);

  private final Path dir;
  private final Path bin;
  private final Map<String, String> env = new LinkedHashMap<>();
  private Process process;
  private Path script = entrypoint();
  private final List<ProcessHandle> started = new ArrayList<>();

  EntrypointHarness(Path dir) throws IOException {
    this.dir = dir;
    this.bin = Files.createDirectories(dir.resolve("bin"));
    Files.createDirectories(dir.resolve("stub"));
    Files.createDirectories(dir.resolve("state"));
    Files.createDirectories(dir.resolve("docker"));
    Path pki = Files.createDirectories(dir.resolve("pki"));
    Files.writeString(pki.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nstub\n-----END CERTIFICATE-----\n");
    Files.writeString(pki.resolve("ca.key"), "-----BEGIN PRIVATE KEY-----\nstub\n-----END PRIVATE KEY-----\n");
    Files.createDirectories(dir.resolve("config"));
    writeKindConfig(true);
    Path sys = Files.createDirectories(dir.resolve("sys/fs/inotify"));
    Files.writeString(sys.resolve("max_user_watches"), "524288\n");
    Files.writeString(sys.resolve("max_user_instances"), "512\n");
    for (String tool : List.of("docker", "dockerd", "kind", "curl")) {
      installStub(tool);
    }
    env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
    env.put("HOME", dir.toString());
    env.put("STUB_STATE", dir.resolve("stub").toString());
    env.put("STUB_CALLS", callsFile().toString());
    // The in-pod contract's variables, as the StatefulSet sets them, with paths moved into the temp dir.
    env.put("KDK_CLUSTER", "testing1");
    env.put("KDK_KIND_CLUSTER_NAME", "kdk");
    env.put("KDK_KIND_CONFIG", kindConfig().toString());
    env.put("KDK_CA_DIR", pki.toString());
    env.put("KDK_API_SERVER_PORT", "16443");
    env.put("KDK_CREATE_TIMEOUT_SECONDS", "600");
    env.put("KDK_DOCKER_MTU", "1400");
    env.put("KDK_DOCKER_ADDRESS_POOLS", "base=10.226.0.0/16,size=24 base=10.228.0.0/16,size=26");
    env.put("KDK_DOCKER_BIP", "10.227.0.1/24");
    env.put("KDK_PRELOAD_IMAGES", "");
    env.put("KDK_NODE_IMAGE", "kindest/node:v1.33.1@sha256:" + "0".repeat(64));
    // Test knobs: everything under the temp dir, quick polls, short bounds.
    env.put("KDK_STATE_DIR", dir.resolve("state").toString());
    env.put("KDK_DOCKER_DATA_ROOT", dir.resolve("docker").toString());
    env.put("KDK_SYSCTL_DIR", dir.resolve("sys").toString());
    env.put("KDK_CGROUP_ROOT", dir.resolve("no-such-cgroup-root").toString());
    env.put("KDK_POLL_INTERVAL_SECONDS", "0.05");
    env.put("KDK_DOCKER_WAIT_SECONDS", "3");
    env.put("KDK_START_TIMEOUT_SECONDS", "3");
    env.put("KDK_STOP_TIMEOUT_SECONDS", "5");
    env.put("KDK_DOCKERD_STOP_TIMEOUT_SECONDS", "5");
  }

  static Path entrypoint() {
    String root = System.getProperty("kdk.repo.root", "..");
    return Path.of(root, "scripts", "kdk-entrypoint.sh").toAbsolutePath().normalize();
  }

  /** Puts the stub on PATH under {@code name} (docker, dockerd, kind, curl, dind). */
  EntrypointHarness installStub(String name) throws IOException {
    Path target = bin.resolve(name);
    try (InputStream in = EntrypointHarness.class.getResourceAsStream("stub-tool.sh")) {
      assertThat(in).as("test resource stub-tool.sh").isNotNull();
      Files.write(target, in.readAllBytes());
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    return this;
  }

  /** Runs this script instead of the repository's {@code scripts/kdk-entrypoint.sh}. */
  EntrypointHarness script(Path script) {
    this.script = script;
    return this;
  }

  EntrypointHarness env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  String env(String name) {
    return env.get(name);
  }

  Path dir() {
    return dir;
  }

  Path kindConfig() {
    return dir.resolve("config/kind-config.yaml");
  }

  Path caFile(String name) {
    return dir.resolve("pki").resolve(name);
  }

  Path readyMarker() {
    return dir.resolve("state/ready");
  }

  Path createdMarker() {
    return dir.resolve("docker/.kdk/kdk.created");
  }

  private Path callsFile() {
    return dir.resolve("calls.log");
  }

  /** A kind config like the rendered one: the control-plane node mounts the CA files from KDK_CA_DIR. */
  void writeKindConfig(boolean mountCa) throws IOException {
    String pki = dir.resolve("pki").toString();
    String mounts = mountCa
        ? "  extraMounts:\n"
            + "  - {hostPath: " + pki + "/ca.crt, containerPath: /etc/kubernetes/pki/ca.crt, readOnly: true}\n"
            + "  - {hostPath: " + pki + "/ca.key, containerPath: /etc/kubernetes/pki/ca.key, readOnly: true}\n"
        : "";
    Files.writeString(kindConfig(), "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n"
        + "networking: {apiServerAddress: 0.0.0.0, apiServerPort: 16443}\n"
        + "nodes:\n- role: control-plane\n" + mounts);
  }

  /** State as a previous boot leaves it on the data volume: node container(s), and the marker if create finished. */
  void givenExistingCluster(boolean createFinished) throws IOException {
    Files.writeString(dir.resolve("stub/nodes"), "kdk-control-plane\n");
    if (createFinished) {
      Files.createDirectories(createdMarker().getParent());
      Files.writeString(createdMarker(), "2026-01-01T00:00:00+0000\n");
    }
  }

  void givenPulledImage(String image) throws IOException {
    Files.writeString(dir.resolve("stub/images"), image + "\n");
  }

  void givenDockerdRunningElsewhere() throws IOException {
    env("STUB_EXTERNAL", "1");
  }

  EntrypointHarness start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
        .directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .redirectError(dir.resolve("stderr.log").toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    process = pb.start();
    started.add(process.toHandle());
    return this;
  }

  /** Runs the entrypoint to its end (it must end by itself within {@link #BOUND}) and returns its exit status. */
  int runToEnd() throws Exception {
    start();
    return awaitExit();
  }

  int awaitExit() throws InterruptedException {
    rememberDescendants();
    boolean ended = process.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(ended).as("entrypoint ended within %s; stderr:%n%s", BOUND, stderr()).isTrue();
    return process.exitValue();
  }

  /** Waits until the readiness marker appears; fails if the entrypoint ends first or the bound passes. */
  void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!Files.exists(readyMarker())) {
      rememberDescendants();
      assertThat(process.isAlive()).as("entrypoint still running; stderr:%n%s", stderr()).isTrue();
      assertThat(System.nanoTime()).as("ready within %s; stderr:%n%s", BOUND, stderr()).isLessThan(deadline);
      Thread.sleep(20);
    }
    rememberDescendants();
  }

  /** Waits until a stub call line starting with {@code prefix} is recorded. */
  void awaitCall(String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (calls().stream().noneMatch(c -> c.startsWith(prefix))) {
      rememberDescendants();
      assertThat(process.isAlive()).as("entrypoint still running; stderr:%n%s", stderr()).isTrue();
      assertThat(System.nanoTime()).as("call '%s' within %s", prefix, BOUND).isLessThan(deadline);
      Thread.sleep(20);
    }
    rememberDescendants();
  }

  /** Sends SIGTERM (what the kubelet sends) and returns the exit status. */
  int terminate() throws InterruptedException {
    rememberDescendants();
    process.destroy(); // SIGTERM on Unix
    return awaitExit();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Processes started by the entrypoint (stub dockerd, kind, sleep) running now. */
  List<ProcessHandle> running() {
    rememberDescendants();
    return started.stream().filter(h -> h.pid() != process.pid()).filter(ProcessHandle::isAlive).toList();
  }

  /**
   * Processes started by the entrypoint (stub dockerd, kind, sleep) still running after waiting up to
   * {@link #BOUND} for them to end: a killed child dies asynchronously, shortly after its parent returns.
   */
  List<ProcessHandle> leftovers() {
    long deadline = System.nanoTime() + BOUND.toNanos();
    for (ProcessHandle handle : started) {
      long left = deadline - System.nanoTime();
      if (handle.pid() == process.pid() || left <= 0) {
        continue;
      }
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        // Still alive: reported below.
      }
    }
    return started.stream().filter(h -> h.pid() != process.pid()).filter(ProcessHandle::isAlive).toList();
  }

  List<String> calls() {
    try {
      return Files.exists(callsFile()) ? Files.readAllLines(callsFile()) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Recorded calls of one tool (first word), without the tool name. */
  List<String> calls(String tool) {
    return calls().stream().filter(c -> c.startsWith(tool + " ")).map(c -> c.substring(tool.length() + 1)).toList();
  }

  String stderr() {
    try {
      Path file = dir.resolve("stderr.log");
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void rememberDescendants() {
    if (process != null) {
      process.descendants().filter(h -> !started.contains(h)).forEach(started::add);
    }
  }

  @Override
  public void close() {
    rememberDescendants();
    for (ProcessHandle handle : started) {
      handle.destroyForcibly();
    }
    for (ProcessHandle handle : started) {
      try {
        handle.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Best effort: a process that does not die here was reported by the test already.
      }
    }
  }
}
