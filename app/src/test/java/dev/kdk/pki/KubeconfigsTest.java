package dev.kdk.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kdk.KdkException;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kubeconfig building, parsing and rewriting; kubectl's view of them is in {@link KubectlKubeconfigTest}. */
class KubeconfigsTest {
    private static final Instant NOW = Instant.now();
    private static final String SOURCE = "Secret dev/kdk-testing1-kubeconfig key config";

    private final CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(10), NOW);
    private final IssuedCertificate client = ca.issueClient("dev@example.com", List.of("system:masters"),
            Duration.ofDays(1), NOW);
    private final String yaml = Kubeconfigs.build("kdk-testing1", "https://127.0.0.1:16443", ca.certificatePem(),
            client);

    @Test
    void buildsOneClusterUserAndContextNamedAfterTheCluster() {
        Config config = Kubeconfigs.parse(yaml, SOURCE);

        assertThat(config.getApiVersion()).isEqualTo("v1");
        assertThat(config.getKind()).isEqualTo("Config");
        assertThat(config.getCurrentContext()).isEqualTo("kdk-testing1");
        assertThat(config.getClusters()).singleElement().satisfies(cluster -> {
            assertThat(cluster.getName()).isEqualTo("kdk-testing1");
            assertThat(cluster.getCluster().getServer()).isEqualTo("https://127.0.0.1:16443");
            assertThat(decode(cluster.getCluster().getCertificateAuthorityData())).isEqualTo(ca.certificatePem());
        });
        assertThat(config.getUsers()).singleElement().satisfies(user -> {
            assertThat(user.getName()).isEqualTo("kdk-testing1");
            assertThat(decode(user.getUser().getClientCertificateData())).isEqualTo(client.certificatePem());
            assertThat(decode(user.getUser().getClientKeyData())).isEqualTo(client.privateKeyPem())
                    .startsWith("-----BEGIN PRIVATE KEY-----");
        });
        assertThat(config.getContexts()).singleElement().satisfies(context -> {
            assertThat(context.getName()).isEqualTo("kdk-testing1");
            assertThat(context.getContext().getCluster()).isEqualTo("kdk-testing1");
            assertThat(context.getContext().getUser()).isEqualTo("kdk-testing1");
        });
    }

    @Test
    void readsTheClientCertificateAndCaBack() {
        Config config = Kubeconfigs.parse(yaml, SOURCE);

        IssuedCertificate read = Kubeconfigs.clientCertificate(config, SOURCE).orElseThrow();
        assertThat(read.certificate()).isEqualTo(client.certificate());
        assertThat(read.privateKeyPem()).isEqualTo(client.privateKeyPem());
        assertThat(read.commonName()).isEqualTo("dev@example.com");
        assertThat(Kubeconfigs.clientCertificate(yaml, SOURCE)).isPresent();
        assertThat(Kubeconfigs.certificateAuthorityPem(config, SOURCE)).contains(ca.certificatePem());
    }

    @Test
    void clientCertificateIsEmptyWithoutClientDataAndAnErrorWhenHalfOfIt() {
        Config tokenOnly = new ConfigBuilder(Kubeconfigs.parse(yaml, SOURCE)).editFirstUser().editUser()
                .withClientCertificateData(null).withClientKeyData(null).withToken("t").endUser().endUser().build();
        assertThat(Kubeconfigs.clientCertificate(tokenOnly, SOURCE)).isEmpty();

        Config certOnly = new ConfigBuilder(Kubeconfigs.parse(yaml, SOURCE)).editFirstUser().editUser()
                .withClientKeyData(null).endUser().endUser().build();
        assertThatThrownBy(() -> Kubeconfigs.clientCertificate(certOnly, SOURCE))
                .isInstanceOf(KdkException.class)
                .hasMessage(SOURCE + ": kubeconfig user has client-certificate-data but no client-key-data");

        Config notBase64 = new ConfigBuilder(Kubeconfigs.parse(yaml, SOURCE)).editFirstUser().editUser()
                .withClientKeyData("%%%").endUser().endUser().build();
        assertThatThrownBy(() -> Kubeconfigs.clientCertificate(notBase64, SOURCE))
                .hasMessage(SOURCE + ": kubeconfig client-key-data is not base64");

        Config noContext = new ConfigBuilder(Kubeconfigs.parse(yaml, SOURCE)).withCurrentContext(null).build();
        assertThat(Kubeconfigs.clientCertificate(noContext, SOURCE)).as("the only user").isPresent();
    }

    @Test
    void clientCertificateFollowsTheCurrentContext() {
        IssuedCertificate other = ca.issueClient("other@example.com", List.of(), Duration.ofDays(1), NOW);
        Config two = new ConfigBuilder(Kubeconfigs.parse(yaml, SOURCE))
                .addNewUser().withName("other").withNewUser()
                    .withClientCertificateData(base64(other.certificatePem()))
                    .withClientKeyData(base64(other.privateKeyPem())).endUser().endUser()
                .addNewContext().withName("other").withNewContext().withCluster("kdk-testing1").withUser("other")
                    .endContext().endContext()
                .withCurrentContext("other")
                .build();
        assertThat(Kubeconfigs.clientCertificate(two, SOURCE).orElseThrow().commonName())
                .isEqualTo("other@example.com");
    }

    @Test
    void withServerRewritesEveryClusterAndKeepsTheRest() {
        Config two = new ConfigBuilder(Kubeconfigs.parse(yaml, SOURCE))
                .addNewCluster().withName("second").withNewCluster().withServer("https://10.0.0.1:6443")
                    .withInsecureSkipTlsVerify(false).endCluster().endCluster()
                .build();

        String rewritten = Kubeconfigs.withServer(new KubernetesSerialization().asYaml(two) + "preferences:\n  colors: true\n"
                + "x-tool-setting: keep me\n", "https://127.0.0.1:40123", SOURCE);

        Config config = Kubeconfigs.parse(rewritten, SOURCE);
        assertThat(config.getClusters()).extracting(NamedCluster::getName).containsExactly("kdk-testing1", "second");
        assertThat(config.getClusters()).allSatisfy(cluster ->
                assertThat(cluster.getCluster().getServer()).isEqualTo("https://127.0.0.1:40123"));
        Config original = Kubeconfigs.parse(yaml, SOURCE);
        assertThat(config.getClusters().get(0).getCluster().getCertificateAuthorityData())
                .isEqualTo(original.getClusters().get(0).getCluster().getCertificateAuthorityData());
        assertThat(config.getUsers()).isEqualTo(original.getUsers());
        assertThat(config.getContexts()).isEqualTo(original.getContexts());
        assertThat(config.getCurrentContext()).isEqualTo("kdk-testing1");
        assertThat(rewritten).startsWith("{").contains("\"colors\" : true").contains("\"x-tool-setting\" : \"keep me\"");
    }

    @Test
    void withServerNeedsACluster() {
        assertThatThrownBy(() -> Kubeconfigs.withServer("apiVersion: v1\nkind: Config\n", "https://x", SOURCE))
                .isInstanceOf(KdkException.class)
                .hasMessage(SOURCE + ": kubeconfig has no cluster");
    }

    @Test
    void parseErrorsNameTheSourceAndThePlaceButNeverTheContent() {
        String keyLine = "client-key-data: " + base64(client.privateKeyPem());
        assertParseError("", "kubeconfig is empty");
        assertParseError("users:\n- name: x\n  user: {" + keyLine + "\n", "not a valid kubeconfig (YAML error at line");
        assertParseError("just a string " + base64(client.privateKeyPem()), "not a valid kubeconfig (not a YAML mapping)");
        assertParseError("clusters: " + base64(client.privateKeyPem()), "not a valid kubeconfig (wrong type at clusters)");
        assertParseError("users:\n- name: x\n  user: " + base64(client.privateKeyPem()),
                "not a valid kubeconfig (wrong type at users[0].user)");
    }

    private void assertParseError(String text, String problem) {
        KdkException error = catchThrowableOfType(KdkException.class, () -> Kubeconfigs.parse(text, SOURCE));
        assertThat(error).as(text).isNotNull();
        assertThat(error.getMessage()).startsWith(SOURCE + ": ").contains(problem);
        String secret = base64(client.privateKeyPem()).substring(0, 24);
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(secret).doesNotContain("PRIVATE KEY");
        }
    }

    @Test
    void buildRejectsEmptyParts() {
        assertThat(catchThrowableOfType(KdkException.class,
                () -> Kubeconfigs.build("", "https://x", ca.certificatePem(), client)).exitCode())
                .isEqualTo(KdkException.USAGE);
        assertThatThrownBy(() -> Kubeconfigs.build("kdk-x", " ", ca.certificatePem(), client))
                .hasMessage("kubeconfig server must not be empty");
    }

    static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
