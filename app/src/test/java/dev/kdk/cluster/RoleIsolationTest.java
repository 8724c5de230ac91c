package dev.kdk.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.render.ChartTemplates;
import dev.kdk.render.FreshPki;
import dev.kdk.render.Manifest;
import dev.kdk.render.Renderer;
import dev.kdk.values.ReleaseValues;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One developer's Role grants nothing on another developer's objects (checked on the rendered objects). */
class RoleIsolationTest {
    @Test
    void eachRoleReachesOnlyItsOwnKubeconfigAndPod() {
        ReleaseValues values = new ValuesLoader().load(new ValuesLoader.Request(
                List.of(InstallTest.EXAMPLE.toString()), List.of(), List.of(), "kdk"));
        List<Manifest> manifests = new Renderer(ChartTemplates.embedded()).render(values, "ns", new FreshPki("kdk"));
        for (String cluster : List.of("testing1", "testing2")) {
            String other = cluster.equals("testing1") ? "testing2" : "testing1";
            Set<String> otherNames = manifests.stream().filter(m -> m.cluster().equals(other))
                    .map(m -> m.object().getMetadata().getName()).collect(Collectors.toSet());
            otherNames.add("kdk-" + other + "-0");
            Role role = only(manifests, cluster, Role.class);
            for (PolicyRule rule : role.getRules()) {
                assertThat(rule.getResourceNames()).as("rule %s names its objects", rule).isNotEmpty()
                        .doesNotContain("*").doesNotContainAnyElementsOf(otherNames);
                assertThat(rule.getVerbs()).doesNotContain("*", "list", "watch", "update", "patch", "delete");
                assertThat(rule.getResources()).doesNotContain("*");
                assertThat(rule.getApiGroups()).containsExactly("");
            }
            assertThat(role.getRules()).extracting(r -> r.getResources().get(0) + ":" + r.getResourceNames() + ":"
                    + r.getVerbs()).containsExactlyInAnyOrder(
                            "secrets:[kdk-" + cluster + "-kubeconfig]:[get]",
                            "pods:[kdk-" + cluster + "-0]:[get]",
                            "pods/portforward:[kdk-" + cluster + "-0]:[get, create]");
            RoleBinding binding = only(manifests, cluster, RoleBinding.class);
            assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getKind()).isEqualTo("User");
                assertThat(s.getName()).isEqualTo(cluster + "@example.org");
            });
        }
    }

    private static <T extends HasMetadata> T only(List<Manifest> manifests, String cluster, Class<T> kind) {
        List<T> found = manifests.stream().filter(m -> m.cluster().equals(cluster) && kind.isInstance(m.object()))
                .map(m -> kind.cast(m.object())).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
