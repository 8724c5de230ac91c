package dev.kdk.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.KdkException;
import dev.kdk.testing.MockHostCluster;
import dev.kdk.testing.HostApiDispatcher.Request;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallTest {
    static final String NS = "kdk-test";
    static final Path EXAMPLE = Path.of(System.getProperty("kdk.repo.root", ".."), "values", "example.yaml");
    static final List<String> KINDS = List.of("statefulsets", "services", "serviceaccounts", "configmaps",
            "networkpolicies", "roles", "rolebindings", "secrets");

    final MockHostCluster server = new MockHostCluster();
    final KubernetesClient client = server.client();
    @TempDir
    Path tmp;

    @AfterEach
    void close() {
        server.close();
    }

    Install install(Path values, String... set) {
        Install install = new Install(client, NS);
        install.values = new ValuesLoader.Request(List.of(values.toString()), List.of(set), List.of(), "kdk");
        install.createNamespace = true;
        return install;
    }

    Path values(String... clusters) throws IOException {
        StringBuilder text = new StringBuilder("clusters:\n");
        for (String c : clusters) {
            text.append("  ").append(c).append(":\n    email: ").append(c).append("@example.org\n");
        }
        return Files.writeString(tmp.resolve(String.join("-", clusters) + ".yaml"), text);
    }

    /** Writes other than the release record. */
    List<String> objectWrites() {
        return server.api().writes().stream().filter(r -> r.name() == null || !r.name().startsWith("kdk.release."))
                .map(Request::toString).toList();
    }

    Secret secret(String name) {
        return client.secrets().inNamespace(NS).withName(name).get();
    }

    static void assertClusterObjects(KubernetesClient client, String cluster, boolean present) {
        String full = "kdk-" + cluster;
        var objects = List.of(client.apps().statefulSets().inNamespace(NS).withName(full).get() != null,
                client.services().inNamespace(NS).withName(full).get() != null,
                client.serviceAccounts().inNamespace(NS).withName(full).get() != null,
                client.configMaps().inNamespace(NS).withName(full).get() != null,
                client.network().v1().networkPolicies().inNamespace(NS).withName(full).get() != null,
                client.rbac().roles().inNamespace(NS).withName(full + "-user").get() != null,
                client.rbac().roleBindings().inNamespace(NS).withName(full + "-user").get() != null,
                client.secrets().inNamespace(NS).withName(full + "-ca").get() != null,
                client.secrets().inNamespace(NS).withName(full + "-kubeconfig").get() != null);
        assertThat(objects).as("objects of " + cluster).containsOnly(present);
    }

    @Test
    void firstInstallCreatesEveryObjectAndRecordsTheRelease() {
        Install.Result result = install(EXAMPLE).run();

        assertThat(result.namespaceCreated()).isTrue();
        assertThat(result.report().applied()).containsExactly("testing1", "testing2");
        assertClusterObjects(client, "testing1", true);
        assertClusterObjects(client, "testing2", true);
        assertThat(result.pkiNotes()).containsOnlyKeys("testing1", "testing2");
        ReleaseRecord record = new ReleaseStore(client, NS).load("kdk");
        assertThat(record.revision()).isEqualTo(1);
        assertThat(record.status()).isEqualTo("deployed");
        assertThat(record.clusters()).containsOnlyKeys("testing1", "testing2");
        assertThat(record.clusters().get("testing2").email()).isEqualTo("testing2@example.org");
        assertThat(server.api().writes()).extracting(Request::verb).containsOnly("apply");
    }

    @Test
    void identicalReinstallKeepsCasAndWritesOnlyTheRecord() {
        install(EXAMPLE).run();
        Map<String, String> ca1 = secret("kdk-testing1-ca").getData();
        Map<String, String> ca2 = secret("kdk-testing2-ca").getData();
        Map<String, String> kc1 = secret("kdk-testing1-kubeconfig").getData();
        server.api().clearJournal();

        Install.Result again = install(EXAMPLE).run();

        assertThat(secret("kdk-testing1-ca").getData()).isEqualTo(ca1);
        assertThat(secret("kdk-testing2-ca").getData()).isEqualTo(ca2);
        assertThat(secret("kdk-testing1-kubeconfig").getData()).isEqualTo(kc1);
        assertThat(objectWrites()).isEmpty();
        assertThat(server.api().writes()).extracting(Request::toString)
                .containsExactly("apply configmaps/kdk.release.kdk");
        assertThat(again.pkiNotes()).isEmpty();
        assertThat(again.revision()).isEqualTo(2);
    }

    @Test
    void addingAClusterTouchesOnlyThatCluster() throws IOException {
        install(EXAMPLE).run();
        server.api().clearJournal();

        install(values("testing1", "testing2", "testing3")).run();

        assertClusterObjects(client, "testing3", true);
        assertThat(objectWrites()).hasSize(9).allMatch(w -> w.contains("testing3"));
    }

    @Test
    void setChangingOneClusterReappliesOnlyWhatChanged() {
        install(EXAMPLE).run();
        server.api().clearJournal();

        install(EXAMPLE, "clusters.testing2.resources.limits.memory=16Gi").run();

        assertThat(objectWrites()).containsExactly("apply statefulsets/kdk-testing2");
        StatefulSet sts = client.apps().statefulSets().inNamespace(NS).withName("kdk-testing2").get();
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits()
                .get("memory").toString()).isEqualTo("16Gi");
    }

    @Test
    void removedClusterIsReportedThenPrunedKeepingItsVolume() throws IOException {
        install(EXAMPLE).run();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("docker-kdk-testing2-0").addToLabels(Labels.INSTANCE, "kdk")
                .addToLabels(Labels.CLUSTER, "testing2").endMetadata().build()).create();
        Path one = values("testing1");

        Install.Result reported = install(one).run();
        assertThat(reported.removed()).containsExactly("testing2");
        assertThat(reported.pruned()).isEmpty();
        assertClusterObjects(client, "testing2", true);

        Install prune = install(one);
        prune.prune = true;
        Install.Result pruned = prune.run();
        assertThat(pruned.pruned()).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo("testing2");
            assertThat(r.keptVolumes()).containsExactly("docker-kdk-testing2-0");
        });
        assertClusterObjects(client, "testing2", false);
        assertClusterObjects(client, "testing1", true);
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("docker-kdk-testing2-0").get()).isNotNull();
        assertThat(new ReleaseStore(client, NS).load("kdk").clusters()).containsOnlyKeys("testing1");

        Install again = install(one);
        again.prune = true;
        assertThat(again.run().removed()).isEmpty();
    }

    @Test
    void pruneWithDeleteDataDeletesTheVolume() throws IOException {
        install(EXAMPLE).run();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName("docker-kdk-testing2-0").addToLabels(Labels.INSTANCE, "kdk")
                .addToLabels(Labels.CLUSTER, "testing2").endMetadata().build()).create();
        Install prune = install(values("testing1"));
        prune.prune = true;
        prune.deleteData = true;
        assertThat(prune.run().pruned().get(0).deletedVolumes()).containsExactly("docker-kdk-testing2-0");
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("docker-kdk-testing2-0").get()).isNull();
    }

    @Test
    void dryRunsWriteNothing() {
        Install client1 = install(EXAMPLE);
        client1.dryRun = Install.DryRun.client;
        Install.Result c = client1.run();
        assertThat(c.manifests()).hasSize(18);
        assertThat(server.api().journal()).isEmpty();

        Install serverSide = install(EXAMPLE);
        serverSide.dryRun = Install.DryRun.server;
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(NS).endMetadata().build()).create();
        server.api().clearJournal();
        Install.Result s = serverSide.run();
        assertThat(s.report().applied()).containsExactly("testing1", "testing2");
        assertThat(server.api().journal()).filteredOn(r -> r.verb().equals("apply")).hasSize(18)
                .allMatch(Request::dryRun);
        assertThat(server.api().writes()).isEmpty();
        assertClusterObjects(client, "testing1", false);
    }

    @Test
    void objectOfAnotherOwnerIsNotTakenOverWithoutForce() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(NS).endMetadata().build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("kdk-testing1")
                .addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata().addToData("x", "y").build())
                .create();

        assertThatThrownBy(() -> install(EXAMPLE).run()).isInstanceOf(KdkException.class)
                .hasMessageContaining("ConfigMap kdk-testing1 in namespace kdk-test exists but is not managed by kdk "
                        + "release kdk (app.kubernetes.io/managed-by=Helm")
                .hasMessageContaining("--force");
        Install force = install(EXAMPLE);
        force.force = true;
        force.run();
        assertThat(client.configMaps().inNamespace(NS).withName("kdk-testing1").get().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "kdk");
    }

    @Test
    void rotateReissuesOnlyTheClientCertificate() {
        install(EXAMPLE).run();
        Map<String, String> ca = secret("kdk-testing1-ca").getData();
        String kc = secret("kdk-testing1-kubeconfig").getData().get("config");
        server.api().clearJournal();

        Install rotate = install(EXAMPLE);
        rotate.rotate = Set.of("testing1");
        rotate.only = Set.of("testing1");
        Install.Result r = rotate.run();

        assertThat(r.pkiNotes()).containsOnlyKeys("testing1");
        assertThat(secret("kdk-testing1-ca").getData()).isEqualTo(ca);
        assertThat(secret("kdk-testing1-kubeconfig").getData().get("config")).isNotEqualTo(kc);
        assertThat(objectWrites()).containsExactly("apply secrets/kdk-testing1-kubeconfig");
    }
}
