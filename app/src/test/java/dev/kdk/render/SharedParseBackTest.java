package dev.kdk.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kdk.values.ClusterValues;
import dev.kdk.values.ReleaseValues;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parse-back shared between clusters: documents that differ only in each cluster's own strings are parsed once, and
 * the rules that keep that sound send every other document through the full parse.
 */
class SharedParseBackTest {
    @TempDir
    Path dir;

    private static String configMap(String name, String key, String value) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"kdk-" + name + "\"\n  labels:\n"
                + "    kdk.dev/cluster: " + name + "\ndata:\n  " + key + ": \"" + value + "\"\n";
    }

    private static List<String> strings(String name, String email) {
        return SharedParseBack.clusterStrings(Arrays.asList(name, "kdk-" + name, email));
    }

    @Test
    void aDocumentShapedLikeOneAlreadyParsedIsNotParsedAgainAndParsesAlikeOnUse() {
        SharedParseBack shared = new SharedParseBack();
        Manifest first = shared.manifest("dev1", "cm", 0, "t/cm", configMap("dev1", "owner", "dev1@example.org"),
                strings("dev1", "dev1@example.org"));
        Manifest second = shared.manifest("dev2", "cm", 0, "t/cm", configMap("dev2", "owner", "dev2@example.org"),
                strings("dev2", "dev2@example.org"));

        assertThat(first.isParsed()).isTrue();
        assertThat(second.isParsed()).isFalse();
        assertThat(second.kind()).isEqualTo("ConfigMap");
        ConfigMap made = (ConfigMap) second.object();
        assertThat(made).isEqualTo(Serialization.unmarshal(second.text(), ConfigMap.class));
        assertThat(made.getMetadata().getName()).isEqualTo("kdk-dev2");
        assertThat(made.getData()).containsEntry("owner", "dev2@example.org");
    }

    @Test
    void aDifferentStructureIsParsedInFull() {
        SharedParseBack shared = new SharedParseBack();
        shared.manifest("dev1", "cm", 0, "t/cm", configMap("dev1", "owner", "x"), strings("dev1", "dev1@example.org"));
        String broken = configMap("dev2", "owner", "x").replace("data:", "data:\n  extra: [");

        assertThatThrownBy(() -> shared.manifest("dev2", "cm", 0, "t/cm", broken, strings("dev2", "dev2@example.org")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("t/cm: rendered YAML is malformed");
    }

    @Test
    void aShapeWhoseKeysHoldTheClusterStringsIsNotShared() {
        // A template that makes a key of the cluster's name: harmless for a cluster named "type" (a real field of a
        // Service spec), an unknown field for any other. The first must not vouch for the second.
        SharedParseBack shared = new SharedParseBack();
        String service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\nspec:\n  %s: ClusterIP\n";
        shared.manifest("type", "svc", 0, "t/svc", service.formatted("type"), strings("type", "type@example.org"));

        assertThatThrownBy(() -> shared.manifest("dev2", "svc", 0, "t/svc", service.formatted("dev2"),
                strings("dev2", "dev2@example.org")))
                .isInstanceOf(TemplateException.class).hasMessageContaining("unknown field spec.dev2");
    }

    @Test
    void aShapeWithAClusterStringInsideAPlainScalarIsNotShared() {
        // `1` before the name, unquoted: "1dev1" is a string, but "1e5" (a cluster named e5) reads as a number.
        SharedParseBack shared = new SharedParseBack();
        String doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  port: 1%s\n";
        shared.manifest("dev1", "cm", 0, "t/cm", doc.formatted("dev1"), strings("dev1", "dev1@example.org"));

        Manifest e5 = shared.manifest("e5", "cm", 0, "t/cm", doc.formatted("e5"), strings("e5", "e5@example.org"));
        assertThat(e5.isParsed()).isTrue();
        // A plain scalar that is exactly the cluster's string is shared (labels are written that way).
        String label = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    cluster: %s\n";
        shared.manifest("dev1", "label", 0, "t/label", label.formatted("dev1"), strings("dev1", "dev1@example.org"));
        assertThat(shared.manifest("e5", "label", 0, "t/label", label.formatted("e5"), strings("e5", "e5@example.org"))
                .isParsed()).isFalse();
    }

    @Test
    void stringsThatYamlCouldReadOtherwiseAreNotReplaced() {
        assertThat(SharedParseBack.clusterStrings(Arrays.asList("dev1", "123", "yes", "a b", "x:y", "'q'", "-x", null)))
                .containsExactly("dev1", null, null, null, null, null, null, null);
        assertThat(SharedParseBack.clusterStrings(Arrays.asList("a", "ab"))).containsExactly(null, "ab");
        // A number in place of a name: the shapes differ, so the document is parsed in full.
        assertThat(SharedParseBack.shape("port: 123\n", strings("123", "a@b.c"), "X").slots()).isEmpty();
    }

    @Test
    void aShapeIsCutAtTheLongestStringFirstAndMatchesOnlyWhenFilledExactly() {
        SharedParseBack.Shape shape = SharedParseBack.shape("a: kdk-dev1 dev1\n", strings("dev1", "a@b.c"), "X");
        assertThat(shape.literals()).containsExactly("a: ", " ", "\n");
        assertThat(shape.slots()).containsExactly(1, 0);

        assertThat(shape.matches("a: kdk-dev22 dev22\n", strings("dev22", "b@b.c"))).isTrue();
        assertThat(shape.matches("a: kdk-dev22 dev2\n", strings("dev22", "b@b.c"))).isFalse();
        assertThat(shape.matches("a: kdk-dev22 dev22\n#", strings("dev22", "b@b.c"))).isFalse();
        assertThat(shape.matches("a: kdk-dev22 dev22", strings("dev22", "b@b.c"))).isFalse();
        // A cluster whose name is not inert has no string to fill the shape with.
        assertThat(shape.matches("a: kdk-123 123\n", strings("123", "b@b.c"))).isFalse();
    }

    @Test
    void certificatesAreMadeOnlyForClustersWhoseRenderedTemplatesReadThem() throws IOException {
        Path file = Files.writeString(dir.resolve("values.yaml"),
                "clusters:\n  dev1: {email: dev1@example.org}\n  dev2: {email: dev2@example.org}\n");
        ReleaseValues release = new ValuesLoader().load(new ValuesLoader.Request(List.of(file.toString()),
                List.of(), List.of(), "kdk"));
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        FreshPki fresh = new FreshPki("kdk");
        java.util.function.Function<ClusterValues, PkiMaterial> counting = c -> {
            made.incrementAndGet();
            return fresh.apply(c);
        };

        List<Manifest> noSecrets = new Renderer(ChartTemplates.embedded().only(List.of("statefulset.yaml.j2")))
                .render(release, "ns", counting);
        assertThat(noSecrets).hasSize(2);
        assertThat(made).hasValue(0);

        List<Manifest> secrets = new Renderer(ChartTemplates.embedded()
                .only(List.of("secret-ca.yaml.j2", "secret-kubeconfig.yaml.j2"))).render(release, "ns", counting);
        assertThat(secrets).hasSize(4);
        assertThat(made).hasValue(2); // once per cluster, though both templates read it
    }

    @Test
    void renderingManyClustersParsesEachTemplateOnceYetEveryObjectIsRight() throws IOException {
        StringBuilder values = new StringBuilder("clusters:\n");
        for (int i = 1; i <= 5; i++) {
            values.append("  dev").append(i).append(": {email: dev").append(i).append("@example.org}\n");
        }
        values.append("  big: {email: big@example.org, resources: {limits: {memory: 16Gi}}}\n");
        Path file = Files.writeString(dir.resolve("values.yaml"), values);
        ReleaseValues release = new ValuesLoader().load(new ValuesLoader.Request(List.of(file.toString()),
                List.of(), List.of(), "kdk"));

        Renderer renderer = new Renderer(ChartTemplates.embedded());
        FreshPki pki = new FreshPki("kdk");
        List<Manifest> manifests = new ArrayList<>();
        for (ClusterValues cluster : release.clusters()) { // one by one: which cluster proves a shape is then fixed
            manifests.addAll(renderer.renderCluster("kdk", "ns", cluster, pki.apply(cluster)));
        }

        long parsed = manifests.stream().filter(Manifest::isParsed).count();
        int perCluster = manifests.size() / 6;
        // The first cluster proves each shape; the big one's StatefulSet differs, so it is parsed too.
        assertThat(parsed).isEqualTo(perCluster + 1);
        for (Manifest m : manifests) {
            assertThat(m.object()).isEqualTo(ManifestParser.parse("check", m.text()));
            assertThat(m.object().getKind()).isEqualTo(m.kind());
        }
    }
}
