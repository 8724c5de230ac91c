package dev.kdk.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.render.ChartTemplates;
import dev.kdk.render.FreshPki;
import dev.kdk.render.Manifest;
import dev.kdk.render.Renderer;
import dev.kdk.values.ReleaseValues;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The in-pod contract, checked end to end: renders {@code values/example.yaml} with the real chart templates, lays
 * the ConfigMap and CA Secret out as the kubelet would mount them (under a temp root), and runs the ConfigMap's own
 * copy of the entrypoint with the StatefulSet's environment against stub tools. The StatefulSet, the kind config and
 * what the entrypoint actually does must agree on the port, the CA paths, the config path and the probe.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RenderedPodAgreementTest {

  private static final String POD_PATHS = "/etc/kdk/";

  @TempDir Path tmp;
  private EntrypointHarness pod;
  private StatefulSet statefulSet;
  private ConfigMap configMap;
  private Secret caSecret;
  private Service service;

  @BeforeEach
  void render() throws Exception {
    Path repo = EntrypointHarness.entrypoint().getParent().getParent();
    ReleaseValues values = new ValuesLoader().load(new ValuesLoader.Request(
        List.of(repo.resolve("values/example.yaml").toString()), List.of(), List.of(), "kdk"));
    List<Manifest> manifests = new Renderer(ChartTemplates.fromDirectory(repo.resolve("chart-templates")))
        .render(values, "team", new FreshPki("kdk"));
    statefulSet = only(manifests, StatefulSet.class, "kdk-testing1");
    configMap = only(manifests, ConfigMap.class, "kdk-testing1");
    caSecret = only(manifests, Secret.class, "kdk-testing1-ca");
    service = only(manifests, Service.class, "kdk-testing1");
    pod = new EntrypointHarness(tmp.resolve("pod"));
  }

  @AfterEach
  void tearDown() {
    pod.close();
  }

  @Test
  void statefulSetKindConfigAndEntrypointAgree() throws Exception {
    Container container = container();
    Map<String, String> env = container.getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    int port = Integer.parseInt(env.get("KDK_API_SERVER_PORT"));

    // The port: container port kube-api, Service, kind's apiServerPort, the probe URL.
    ContainerPort kubeApi = container.getPorts().stream().filter(p -> "kube-api".equals(p.getName()))
        .findFirst().orElseThrow();
    assertThat(kubeApi.getContainerPort()).isEqualTo(port).isEqualTo(16443);
    assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(port));
    Map<String, Object> kindConfig = kindConfig();
    @SuppressWarnings("unchecked")
    Map<String, Object> networking = (Map<String, Object>) kindConfig.get("networking");
    assertThat(networking).containsEntry("apiServerPort", port).containsEntry("apiServerAddress", "0.0.0.0");

    // The config path: the command and KDK_KIND_CONFIG point into the ConfigMap's mount.
    String configDir = mountPath("config");
    assertThat(volume("config").getConfigMap().getName()).isEqualTo(configMap.getMetadata().getName());
    assertThat(container.getCommand()).containsExactly("/bin/bash", configDir + "/entrypoint.sh");
    assertThat(env.get("KDK_KIND_CONFIG")).isEqualTo(configDir + "/kind-config.yaml");
    assertThat(configMap.getData()).containsKeys("entrypoint.sh", "kind-config.yaml");
    assertThat(configMap.getData().get("entrypoint.sh"))
        .isEqualTo(Files.readString(EntrypointHarness.entrypoint()));

    // The CA paths: the Secret's items land where KDK_CA_DIR says, and the kind node mounts exactly those files.
    String caDir = mountPath("ca");
    assertThat(env.get("KDK_CA_DIR")).isEqualTo(caDir);
    assertThat(volume("ca").getSecret().getSecretName()).isEqualTo(caSecret.getMetadata().getName());
    assertThat(volume("ca").getSecret().getItems()).extracting(KeyToPath::getKey, KeyToPath::getPath)
        .containsExactlyInAnyOrder(Tuple.tuple("tls.crt", "ca.crt"),
            Tuple.tuple("tls.key", "ca.key"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> nodes = (List<Map<String, Object>>) kindConfig.get("nodes");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> mounts = (List<Map<String, Object>>) nodes.get(0).get("extraMounts");
    assertThat(nodes.get(0)).containsEntry("role", "control-plane");
    assertThat(mounts).extracting(m -> m.get("hostPath"), m -> m.get("containerPath"))
        .contains(Tuple.tuple(caDir + "/ca.crt", "/etc/kubernetes/pki/ca.crt"),
            Tuple.tuple(caDir + "/ca.key", "/etc/kubernetes/pki/ca.key"));
    assertThat(mountPath("docker")).isEqualTo("/var/lib/docker");

    // The probe: readiness and startup probes run the same curl, against the CA and port above.
    List<String> probe = container.getReadinessProbe().getExec().getCommand();
    assertThat(container.getStartupProbe().getExec().getCommand()).isEqualTo(probe);
    assertThat(probe).containsExactly("curl", "--fail", "--silent", "--max-time", "3", "--cacert",
        caDir + "/ca.crt", "https://127.0.0.1:" + port + "/readyz");

    // Now the entrypoint, as shipped in the ConfigMap, with the StatefulSet's environment in the laid-out pod.
    Path root = layOutPod();
    env.forEach((name, value) -> pod.env(name, inPod(root, value)));
    pod.script(inPodPath(root, container.getCommand().get(1))).start().awaitReady();

    String createCall = pod.calls("kind").stream().filter(c -> c.startsWith("create cluster")).findFirst()
        .orElseThrow();
    assertThat(createCall).isEqualTo("create cluster --name " + env.get("KDK_KIND_CLUSTER_NAME") + " --config "
        + inPod(root, env.get("KDK_KIND_CONFIG")) + " --image " + env.get("KDK_NODE_IMAGE") + " --wait "
        + env.get("KDK_CREATE_TIMEOUT_SECONDS") + "s");
    // The entrypoint's own API check is the probe (plus --show-error, which only adds text to its log on failure).
    List<String> curlCall = new ArrayList<>(List.of(("curl " + pod.calls("curl").get(0)).split(" ")));
    curlCall.remove("--show-error");
    assertThat(curlCall).isEqualTo(probe.stream().map(a -> inPod(root, a)).toList());
    assertThat(pod.calls("dockerd")).singleElement().asString().contains("--mtu=" + env.get("KDK_DOCKER_MTU"))
        .contains("--bip=" + env.get("KDK_DOCKER_BIP"))
        .contains("--default-address-pool=" + env.get("KDK_DOCKER_ADDRESS_POOLS"));

    assertThat(pod.terminate()).isZero();
    assertThat(pod.calls()).containsSubsequence("docker stop --time 5 kdk-control-plane", "dockerd terminated");
  }

  /** Writes the ConfigMap and the CA Secret's items under {@code root} at their mount paths, as the kubelet would. */
  private Path layOutPod() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root"));
    Path configDir = Files.createDirectories(inPodPath(root, mountPath("config")));
    for (Map.Entry<String, String> e : configMap.getData().entrySet()) {
      // Paths in the files move with the pod's root, as every path the pod sees does.
      Files.writeString(configDir.resolve(e.getKey()), inPod(root, e.getValue()));
    }
    Path caDir = Files.createDirectories(inPodPath(root, mountPath("ca")));
    for (KeyToPath item : volume("ca").getSecret().getItems()) {
      Files.write(caDir.resolve(item.getPath()), Base64.getDecoder().decode(caSecret.getData().get(item.getKey())));
    }
    return root;
  }

  private static String inPod(Path root, String value) {
    return value == null ? null : value.replace(POD_PATHS, root + POD_PATHS);
  }

  private static Path inPodPath(Path root, String podPath) {
    return Path.of(root + podPath);
  }

  private Container container() {
    return statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> "kdk".equals(c.getName())).findFirst().orElseThrow();
  }

  private Volume volume(String name) {
    return statefulSet.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> name.equals(v.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private String mountPath(String volume) {
    return container().getVolumeMounts().stream().filter(m -> volume.equals(m.getName()))
        .map(VolumeMount::getMountPath).findFirst().orElseThrow(() -> new AssertionError("no mount " + volume));
  }

  private Map<String, Object> kindConfig() {
    return new Yaml().load(configMap.getData().get("kind-config.yaml"));
  }

  private static <T> T only(List<Manifest> manifests, Class<T> type, String name) {
    List<T> found = manifests.stream().map(Manifest::object).filter(type::isInstance)
        .filter(o -> name.equals(o.getMetadata().getName())).map(type::cast).toList();
    assertThat(found).as("%s %s", type.getSimpleName(), name).hasSize(1);
    return found.get(0);
  }
}
