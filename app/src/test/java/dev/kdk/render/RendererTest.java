package dev.kdk.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kdk.testing.Golden;
import dev.kdk.values.ClusterValues;
import dev.kdk.values.ReleaseValues;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

class RendererTest {
    /** Deterministic stand-in for certificates, so golden files stay stable (PKI has its own tests). */
    static final Function<ClusterValues, PkiMaterial> FIXED_PKI = c -> new PkiMaterial(
            "CA CERTIFICATE OF " + c.name() + "\n", "CA KEY OF " + c.name() + "\n", "KUBECONFIG OF " + c.name() + "\n");

    static ReleaseValues load(List<String> files, List<String> set) {
        return new ValuesLoader().load(new ValuesLoader.Request(files, set, null, "kdk"));
    }

    static String example() {
        return Golden.repoRoot().resolve("values/example.yaml").toString();
    }

    static List<Manifest> renderExample(List<String> set) {
        return new Renderer(ChartTemplates.fromDirectory(Golden.repoRoot().resolve("chart-templates")))
                .render(load(List.of(example()), set), "team-dev", FIXED_PKI);
    }

    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T find(List<Manifest> manifests, String cluster, Class<T> type) {
        return (T) manifests.stream().filter(m -> m.cluster().equals(cluster) && type.isInstance(m.object()))
                .findFirst().orElseThrow().object();
    }

    @Test
    void exampleRendersLikeTheGoldenFile() {
        List<Manifest> manifests = renderExample(List.of());
        Golden.assertMatches("render/example.yaml", ManifestWriter.toYaml(manifests, "chart-templates"));
    }

    @Test
    void everyClusterGetsItsObjectsInApplyOrder() {
        List<Manifest> manifests = renderExample(List.of());
        List<String> testing1 = manifests.stream().filter(m -> m.cluster().equals("testing1")).map(Manifest::id).toList();
        assertThat(testing1).containsExactly("NetworkPolicy/kdk-testing1", "ServiceAccount/kdk-testing1",
                "Secret/kdk-testing1-ca", "Secret/kdk-testing1-kubeconfig", "ConfigMap/kdk-testing1",
                "Role/kdk-testing1-user", "RoleBinding/kdk-testing1-user", "Service/kdk-testing1",
                "StatefulSet/kdk-testing1");
        assertThat(manifests).extracting(Manifest::cluster).containsSubsequence("testing1", "testing2")
                .doesNotContainSequence("testing2", "testing1");
        assertThat(manifests).allSatisfy(m -> {
            assertThat(m.object().getMetadata().getNamespace()).isEqualTo("team-dev");
            assertThat(m.object().getMetadata().getLabels()).containsEntry("kdk.dev/cluster", m.cluster())
                    .containsEntry("app.kubernetes.io/managed-by", "kdk").containsEntry("app.kubernetes.io/instance", "kdk");
            assertThat(m.object().getMetadata().getAnnotations()).containsEntry("kdk.dev/owner", m.cluster() + "@example.org");
        });
    }

    @Test
    void roleReachesOnlyTheOwnersSecretAndPod() {
        List<Manifest> manifests = renderExample(List.of());
        for (String cluster : List.of("testing1", "testing2")) {
            Role role = find(manifests, cluster, Role.class);
            String other = cluster.equals("testing1") ? "testing2" : "testing1";
            assertThat(role.getRules()).allSatisfy(rule -> {
                assertThat(rule.getResourceNames()).isNotEmpty().allSatisfy(n -> assertThat(n)
                        .startsWith("kdk-" + cluster + "-").doesNotContain(other));
                assertThat(rule.getVerbs()).doesNotContain("*", "list", "watch", "update", "patch", "delete");
                assertThat(rule.getResources()).doesNotContain("*");
            });
            assertThat(role.getRules()).extracting(PolicyRule::getResources, PolicyRule::getResourceNames, PolicyRule::getVerbs)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(List.of("secrets"), List.of("kdk-" + cluster + "-kubeconfig"), List.of("get")),
                            org.assertj.core.groups.Tuple.tuple(List.of("pods"), List.of("kdk-" + cluster + "-0"), List.of("get")),
                            org.assertj.core.groups.Tuple.tuple(List.of("pods/portforward"), List.of("kdk-" + cluster + "-0"),
                                    List.of("get", "create")));
            RoleBinding binding = find(manifests, cluster, RoleBinding.class);
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("User");
                assertThat(s.getName()).isEqualTo(cluster + "@example.org");
            });
            assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        }
    }

    @Test
    void statefulSetRunsPrivilegedDindWithDataOnAVolume() {
        StatefulSet sts = find(renderExample(List.of()), "testing1", StatefulSet.class);
        var pod = sts.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getSecurityContext().getPrivileged()).isTrue();
        assertThat(c.getSecurityContext().getSeccompProfile().getType()).isEqualTo("Unconfined");
        assertThat(c.getSecurityContext().getAppArmorProfile().getType()).isEqualTo("Unconfined");
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("kube-api");
            assertThat(p.getContainerPort()).isEqualTo(16443);
        });
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/var/lib/docker");
            assertThat(m.getName()).isEqualTo("docker");
        });
        assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(t -> assertThat(t.getMetadata().getName()).isEqualTo("docker"));
        assertThat(pod.getVolumes()).noneSatisfy(v -> assertThat(v.getHostPath() == null ? "" : v.getHostPath().getPath())
                .startsWith("/sys/fs/cgroup"));
        assertThat(pod.getVolumes()).filteredOn(v -> v.getHostPath() != null).singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/lib/modules"));
        assertThat(String.join(" ", c.getReadinessProbe().getExec().getCommand())).contains("https://127.0.0.1:16443/readyz");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    }

    @Test
    void clusterOverridesApplyToThatClusterOnly() {
        List<Manifest> manifests = renderExample(List.of("clusters.testing2.resources.limits.memory=16Gi",
                "clusters.testing2.persistence.enabled=false", "clusters.testing2.docker.host=tcp://dind:2376"));
        Container one = find(manifests, "testing1", StatefulSet.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        StatefulSet twoSts = find(manifests, "testing2", StatefulSet.class);
        Container two = twoSts.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(one.getResources().getLimits().get("memory")).hasToString("8Gi");
        assertThat(two.getResources().getLimits().get("memory")).hasToString("16Gi");
        assertThat(twoSts.getSpec().getVolumeClaimTemplates()).isEmpty();
        assertThat(twoSts.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getName().equals("docker") && v.getEmptyDir() != null).isTrue());
        assertThat(two.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("DOCKER_HOST");
            assertThat(e.getValue()).isEqualTo("tcp://dind:2376");
        });
        assertThat(one.getEnv()).noneSatisfy(e -> assertThat(e.getName()).isEqualTo("DOCKER_HOST"));
    }

    @Test
    void configMapCarriesTheKindConfigAndTheEntrypoint() throws IOException {
        ConfigMap cm = find(renderExample(List.of("kind.workers=2")), "testing1", ConfigMap.class);
        Map<String, Object> kind = new Yaml().load(cm.getData().get("kind-config.yaml"));
        assertThat(kind).containsEntry("apiVersion", "kind.x-k8s.io/v1alpha4").containsEntry("kind", "Cluster");
        assertThat((Map<String, Object>) kind.get("networking")).containsEntry("apiServerAddress", "0.0.0.0")
                .containsEntry("apiServerPort", 16443).containsEntry("podSubnet", "10.224.0.0/16");
        assertThat((List<?>) kind.get("nodes")).hasSize(3);
        assertThat(cm.getData().get("kind-config.yaml")).contains("- \"127.0.0.1\"", "- \"localhost\"",
                "kdk-testing1.team-dev.svc.cluster.local");
        assertThat(cm.getData().get("entrypoint.sh"))
                .isEqualTo(Files.readString(Golden.repoRoot().resolve("scripts/kdk-entrypoint.sh")));
    }

    @Test
    void secretsCarryThePkiMaterial() {
        List<Manifest> manifests = renderExample(List.of());
        List<Secret> secrets = manifests.stream().filter(m -> m.cluster().equals("testing2") && m.object() instanceof Secret)
                .map(m -> (Secret) m.object()).toList();
        assertThat(secrets).extracting(s -> s.getMetadata().getName()).containsExactly("kdk-testing2-ca", "kdk-testing2-kubeconfig");
        assertThat(decode(secrets.get(0).getData().get("tls.crt"))).isEqualTo("CA CERTIFICATE OF testing2\n");
        assertThat(secrets.get(0).getType()).isEqualTo("kubernetes.io/tls");
        assertThat(decode(secrets.get(1).getData().get("config"))).isEqualTo("KUBECONFIG OF testing2\n");
    }

    @Test
    void valuesCannotInjectYamlOrTemplateCode(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("v.yaml");
        Files.writeString(values, """
                clusters:
                  alice:
                    email: alice@example.org
                nodeSelector:
                  "evil\\n  privileged: false": "x\\"\\n  hostNetwork: true"
                podAnnotations:
                  note: "{{ release }} {% if true %}x{% endif %}\\n---\\nkind: Secret"
                """);
        StatefulSet sts = find(new Renderer(ChartTemplates.embedded()).render(load(List.of(values.toString()), List.of()),
                "ns", FIXED_PKI), "alice", StatefulSet.class);
        var pod = sts.getSpec().getTemplate();
        assertThat(pod.getSpec().getNodeSelector()).containsExactly(Map.entry("evil\n  privileged: false", "x\"\n  hostNetwork: true"));
        assertThat(pod.getSpec().getHostNetwork()).isNull();
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("note", "{{ release }} {% if true %}x{% endif %}\n---\nkind: Secret");
    }

    @Test
    void unknownVariableFailsWithTemplateAndLine(@TempDir Path dir) throws IOException {
        copyTemplates(dir);
        Files.writeString(dir.resolve("service.yaml.j2"), Files.readString(dir.resolve("service.yaml.j2"))
                .replace("port: {{ values.kind.apiServerPort }}", "port: {{ values.kind.apiServerPrt }}"));
        TemplateException e = catchThrowableOfType(TemplateException.class, () -> new Renderer(ChartTemplates.fromDirectory(dir))
                .render(load(List.of(example()), List.of()), "ns", FIXED_PKI));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(dir + "/service.yaml.j2:13: unknown variable or filter `values.kind.apiServerPrt`");
        assertThat(e.exitCode()).isEqualTo(2);
    }

    @Test
    void unknownFieldInARenderedObjectFails(@TempDir Path dir) throws IOException {
        copyTemplates(dir);
        Files.writeString(dir.resolve("service.yaml.j2"), Files.readString(dir.resolve("service.yaml.j2"))
                .replace("  type: ClusterIP", "  typo: ClusterIP"));
        TemplateException e = catchThrowableOfType(TemplateException.class, () -> new Renderer(ChartTemplates.fromDirectory(dir))
                .render(load(List.of(example()), List.of()), "ns", FIXED_PKI));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(dir + "/service.yaml.j2: Service kdk-testing1: unknown field spec.typo"
                + " (not in the Kubernetes API; check the spelling and indentation)");
    }

    @Test
    void networkPolicyCanBeSwitchedOff() {
        assertThat(renderExample(List.of("networkPolicy.enabled=false")))
                .noneSatisfy(m -> assertThat(m.object().getKind()).isEqualTo("NetworkPolicy"));
    }

    private static void copyTemplates(Path dir) throws IOException {
        try (var files = Files.list(Golden.repoRoot().resolve("chart-templates"))) {
            for (Path p : files.toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
