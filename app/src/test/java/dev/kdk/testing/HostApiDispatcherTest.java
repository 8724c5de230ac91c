package dev.kdk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HostApiDispatcherTest {
    private final MockHostCluster server = new MockHostCluster();
    private final KubernetesClient client = server.client();

    @AfterEach
    void close() {
        server.close();
    }

    private static ConfigMap cm(String key, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName("c").withNamespace("ns").endMetadata()
                .addToData(key, value).build();
    }

    @Test
    void applyCreatesThenMergesAndBumpsVersionOnlyOnChange() {
        ConfigMap created = client.resource(cm("a", "1")).fieldManager("kdk").serverSideApply();
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getManagedFields()).extracting("manager").containsExactly("kdk");
        String rv = created.getMetadata().getResourceVersion();

        ConfigMap same = client.resource(cm("a", "1")).fieldManager("kdk").serverSideApply();
        assertThat(same.getMetadata().getResourceVersion()).isEqualTo(rv);

        ConfigMap changed = client.resource(cm("b", "2")).fieldManager("kdk").serverSideApply();
        assertThat(changed.getData()).containsEntry("a", "1").containsEntry("b", "2");
        assertThat(changed.getMetadata().getResourceVersion()).isNotEqualTo(rv);
        assertThat(client.configMaps().inNamespace("ns").withName("c").get().getData()).containsKeys("a", "b");
        assertThat(server.api().writes()).extracting(HostApiDispatcher.Request::verb)
                .containsExactly("apply", "apply", "apply");
    }

    @Test
    void dryRunStoresNothing() {
        ConfigMap result = client.resource(cm("a", "1")).dryRun().fieldManager("kdk").serverSideApply();
        assertThat(result.getData()).containsEntry("a", "1");
        assertThat(client.configMaps().inNamespace("ns").withName("c").get()).isNull();
        assertThat(server.api().writes()).isEmpty();
    }

    @Test
    void forbiddenAndMissingNamespace() {
        server.api().forbid("apply", "configmaps");
        assertThatThrownBy(() -> client.resource(cm("a", "1")).fieldManager("kdk").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        server.api().clearFaults();
        server.api().requireNamespaces(true);
        assertThatThrownBy(() -> client.resource(cm("a", "1")).fieldManager("kdk").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(404);
                    assertThat(e.getStatus().getMessage()).isEqualTo("namespaces \"ns\" not found");
                });
        client.resource(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build())
                .fieldManager("kdk").serverSideApply();
        assertThat(client.resource(cm("a", "1")).fieldManager("kdk").serverSideApply()).isNotNull();
    }

    @Test
    void anotherManagersValuesConflictUnlessForced() {
        client.resource(cm("a", "1")).fieldManager("helm").serverSideApply();
        assertThat(client.resource(cm("a", "1")).fieldManager("kdk").serverSideApply()).isNotNull();
        assertThatThrownBy(() -> client.resource(cm("a", "2")).fieldManager("kdk").serverSideApply())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getMessage()).contains("conflict with \"helm\"");
                });
        ConfigMap forced = client.resource(cm("a", "2")).fieldManager("kdk").forceConflicts().serverSideApply();
        assertThat(forced.getData()).containsEntry("a", "2");
        assertThat(forced.getMetadata().getManagedFields()).extracting("manager").containsExactly("kdk");
    }
}
