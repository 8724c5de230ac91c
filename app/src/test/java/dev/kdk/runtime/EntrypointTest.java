package dev.kdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-pod entrypoint, run for real under bash with stub docker/dockerd/kind/curl (see {@link EntrypointHarness}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EntrypointTest {

  @TempDir Path tmp;
  private EntrypointHarness pod;

  @BeforeEach
  void setUp() throws Exception {
    pod = new EntrypointHarness(tmp);
  }

  @AfterEach
  void tearDown() {
    pod.close();
  }

  @Test
  void firstBootStartsDockerdCreatesTheClusterWithTheRenderedConfigAndBecomesReady() throws Exception {
    pod.env("KDK_PRELOAD_IMAGES", "nginx:1.27 registry.example.org/team/app@sha256:" + "a".repeat(64));

    pod.start().awaitReady();

    assertThat(pod.calls("kind")).contains("create cluster --name kdk --config " + pod.kindConfig()
        + " --image " + pod.env("KDK_NODE_IMAGE") + " --wait 600s");
    assertThat(pod.calls("curl")).isNotEmpty().allSatisfy(call -> assertThat(call)
        .contains("--cacert " + pod.caFile("ca.crt"))
        .endsWith("https://127.0.0.1:16443/readyz"));
    assertThat(pod.createdMarker()).exists();
    // Each preload image is pulled, then loaded into the kind cluster, in that order.
    List<String> calls = pod.calls();
    for (String image : pod.env("KDK_PRELOAD_IMAGES").split(" ")) {
      assertThat(calls).containsSubsequence("kind create cluster --name kdk --config " + pod.kindConfig()
          + " --image " + pod.env("KDK_NODE_IMAGE") + " --wait 600s", "docker pull " + image,
          "kind load docker-image --name kdk " + image);
    }
    assertThat(pod.stderr()).contains("is ready").doesNotContain("ERROR");
    assertThat(pod.alive()).isTrue();
  }

  @Test
  void dockerdListensOnTheUnixSocketOnlyWithMtuPoolsAndBipFromTheEnvironment() throws Exception {
    pod.start().awaitReady();

    assertThat(pod.calls("dockerd")).singleElement().satisfies(call -> {
      List<String> args = List.of(call.split(" "));
      assertThat(args).contains("--mtu=1400", "--bip=10.227.0.1/24",
          "--default-address-pool=base=10.226.0.0/16,size=24", "--default-address-pool=base=10.228.0.0/16,size=26",
          "--data-root=" + pod.dir().resolve("docker"));
      assertThat(args.stream().filter(a -> a.startsWith("--host") || a.equals("-H")))
          .containsExactly("--host=unix:///var/run/docker.sock");
      assertThat(call).doesNotContain("tcp://").doesNotContain("--tls");
    });
  }

  @Test
  void dockerdRunsThroughDindWrapperWhenTheImageHasIt() throws Exception {
    pod.installStub("dind");

    pod.start().awaitReady();

    assertThat(pod.calls("dind")).singleElement().asString().startsWith("dockerd --host=unix:///var/run/docker.sock");
    assertThat(pod.calls("dockerd")).hasSize(1);
  }

  @Test
  void secondBootStartsTheExistingNodeContainersInsteadOfCreating() throws Exception {
    pod.givenExistingCluster(true);
    pod.givenPulledImage("nginx:1.27");
    pod.env("KDK_PRELOAD_IMAGES", "nginx:1.27");

    pod.start().awaitReady();

    assertThat(pod.calls("kind")).noneMatch(c -> c.startsWith("create") || c.startsWith("delete"));
    assertThat(pod.calls()).containsSubsequence("docker start kdk-control-plane",
        "kind export kubeconfig --name kdk",
        "curl --fail --silent --show-error --max-time 3 --cacert " + pod.caFile("ca.crt")
            + " https://127.0.0.1:16443/readyz",
        "kind load docker-image --name kdk nginx:1.27");
    // Present already on the data volume: not pulled again.
    assertThat(pod.calls("docker")).noneMatch(c -> c.startsWith("pull"));
  }

  @Test
  void nodesOfACreateThatNeverFinishedAreDeletedAndTheClusterCreatedAgain() throws Exception {
    pod.givenExistingCluster(false);

    pod.start().awaitReady();

    assertThat(pod.calls("kind")).containsSubsequence("delete cluster --name kdk",
        "create cluster --name kdk --config " + pod.kindConfig() + " --image " + pod.env("KDK_NODE_IMAGE")
            + " --wait 600s");
    assertThat(pod.calls("docker")).noneMatch(c -> c.startsWith("start"));
    assertThat(pod.createdMarker()).exists();
  }

  @Test
  void externalDockerHostIsUsedAndNoDockerdStarts() throws Exception {
    pod.givenDockerdRunningElsewhere();
    pod.env("DOCKER_HOST", "tcp://docker.example.org:2376").env("RETAIN_DOCKER_HOST", "1");

    pod.start().awaitReady();

    assertThat(pod.calls("dockerd")).isEmpty();
    assertThat(pod.calls("docker-env")).isNotEmpty().allMatch(c -> c.equals("DOCKER_HOST=tcp://docker.example.org:2376"));
    assertThat(pod.calls("kind")).anyMatch(c -> c.startsWith("create cluster --name kdk"));

    assertThat(pod.terminate()).isZero();
    assertThat(pod.calls("docker")).contains("stop --time 5 kdk-control-plane");
    assertThat(pod.leftovers()).isEmpty();
  }

  @Test
  void inheritedDockerHostWithoutRetainIsUnsetAndDockerdStarts() throws Exception {
    pod.env("DOCKER_HOST", "tcp://somewhere-else:2375");

    pod.start().awaitReady();

    assertThat(pod.calls("dockerd")).hasSize(1);
    assertThat(pod.calls("docker-env")).isNotEmpty().allMatch(c -> c.equals("DOCKER_HOST=<unset>"));
    assertThat(pod.stderr()).contains("unsetting inherited DOCKER_HOST=tcp://somewhere-else:2375");
  }

  @Test
  void sigtermStopsNodeContainersBeforeDockerdAndExitsCleanly() throws Exception {
    pod.start().awaitReady();

    int status = pod.terminate();

    assertThat(status).isZero();
    assertThat(pod.calls()).containsSubsequence("docker stop --time 5 kdk-control-plane", "dockerd terminated");
    assertThat(pod.readyMarker()).doesNotExist();
    assertThat(pod.leftovers()).isEmpty();
    assertThat(pod.stderr()).contains("received SIGTERM").contains("stopped");
  }

  @Test
  void sigtermDuringFirstCreateStopsKindThenDockerd() throws Exception {
    pod.env("STUB_KIND_CREATE_SECONDS", "60");
    pod.start().awaitCall("kind create cluster");

    int status = pod.terminate();

    assertThat(status).isZero();
    assertThat(pod.calls()).containsSubsequence("kind create cluster --name kdk --config " + pod.kindConfig()
        + " --image " + pod.env("KDK_NODE_IMAGE") + " --wait 600s", "kind create terminated",
        "docker stop --time 5 kdk-control-plane", "dockerd terminated");
    // The create did not finish, so the next boot deletes the half-made node and creates again.
    assertThat(pod.createdMarker()).doesNotExist();
    assertThat(pod.leftovers()).isEmpty();
  }

  @Test
  void missingCaFileFailsBeforeAnythingStarts() throws Exception {
    Files.delete(pod.caFile("ca.key"));

    int status = pod.runToEnd();

    assertThat(status).isEqualTo(1);
    assertThat(pod.stderr()).contains("step check_inputs failed")
        .contains("CA file " + pod.caFile("ca.key") + " is missing")
        .contains("Secret kdk-testing1-ca");
    assertThat(pod.calls()).isEmpty();
  }

  @Test
  void kindConfigWithoutTheCaMountFailsBeforeAnythingStarts() throws Exception {
    pod.writeKindConfig(false);

    int status = pod.runToEnd();

    assertThat(status).isEqualTo(1);
    assertThat(pod.stderr()).contains("step check_inputs failed")
        .contains("does not mount " + pod.caFile("ca.crt"));
    assertThat(pod.calls()).isEmpty();
  }

  @Test
  void lowInotifyLimitsAreReportedAsWarnings() throws Exception {
    Files.writeString(pod.dir().resolve("sys/fs/inotify/max_user_watches"), "8192\n");

    pod.start().awaitReady();

    assertThat(pod.stderr()).contains("WARN").contains("fs.inotify.max_user_watches is 8192")
        .doesNotContain("max_user_instances is");
  }

  /** Each injected failure: exit status 1, the step's name, the tool's own output and, for known errors, a hint. */
  @ParameterizedTest(name = "{0} fails in step {1}")
  @CsvSource(delimiter = '|', textBlock = """
      dockerd      | wait_for_docker | iptables table 'nat': Permission denied      | hint: iptables error
      docker-info  | wait_for_docker | Cannot connect to the Docker daemon         | within 3s
      kind-create  | create_cluster  | could not find a log line that matches      | host node uses cgroup v2
      docker-start | start_cluster   | cgroup mountpoint does not exist            | hint: cgroup error
      curl         | wait_for_api    | Failed to connect to 127.0.0.1 port 16443   | apiServerPort 16443
      docker-pull  | preload_images  | pull access denied for nginx:1.27           | docker pull nginx:1.27 failed
      kind-load    | preload_images  | ctr --namespace=k8s.io images import        | kind load docker-image nginx:1.27 failed
      kind-delete  | delete_partial_cluster | failed to delete cluster             | kind delete cluster --name kdk failed
      """)
  void injectedFailureExitsNonZeroNamingTheStep(String failure, String step, String toolOutput, String advice)
      throws Exception {
    pod.env("STUB_FAIL", failure).env("KDK_PRELOAD_IMAGES", "nginx:1.27");
    if (failure.equals("docker-start")) {
      pod.givenExistingCluster(true);
    }
    if (failure.equals("kind-delete")) {
      pod.givenExistingCluster(false);
    }

    int status = pod.runToEnd();

    assertThat(status).isEqualTo(1);
    assertThat(pod.stderr()).contains("step " + step + " failed").contains(toolOutput).contains(advice);
    assertThat(pod.readyMarker()).doesNotExist();
    // A failure still stops what runs: dockerd is terminated (unless it was the one that died).
    if (!failure.equals("dockerd")) {
      assertThat(pod.calls()).contains("dockerd terminated");
    }
    assertThat(pod.leftovers()).isEmpty();
  }

  @Test
  void dockerdDyingWhileTheClusterRunsEndsThePodWithItsLog() throws Exception {
    pod.start().awaitReady();
    ProcessHandle dockerd = pod.running().stream()
        .filter(h -> h.info().arguments().map(a -> a.length > 0 && a[a.length - 1].startsWith("--default-address-pool"))
            .orElse(false))
        .findFirst().orElseThrow();

    dockerd.destroyForcibly();
    int status = pod.awaitExit();

    assertThat(status).isEqualTo(1);
    assertThat(pod.stderr()).contains("step supervise failed: dockerd exited");
    assertThat(pod.readyMarker()).doesNotExist();
  }

  @Test
  void nonNumericTimeoutIsRejected() throws Exception {
    pod.env("KDK_CREATE_TIMEOUT_SECONDS", "10m");

    int status = pod.runToEnd();

    assertThat(status).isEqualTo(1);
    assertThat(pod.stderr()).contains("step check_inputs failed: KDK_CREATE_TIMEOUT_SECONDS must be a whole number");
  }
}
