package dev.kdk.cluster;

import static dev.kdk.cluster.InstallTest.EXAMPLE;
import static dev.kdk.cluster.InstallTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.pki.IssuedCertificate;
import dev.kdk.pki.Kubeconfigs;
import dev.kdk.testing.MockHostCluster;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RotateCertsTest {
    final MockHostCluster server = new MockHostCluster();
    final KubernetesClient client = server.client();

    @AfterEach
    void close() {
        server.close();
    }

    IssuedCertificate clientCert(String cluster) {
        String yaml = new String(Base64.getDecoder().decode(client.secrets().inNamespace(NS)
                .withName("kdk-" + cluster + "-kubeconfig").get().getData().get("config")), StandardCharsets.UTF_8);
        return Kubeconfigs.clientCertificate(yaml, "test").orElseThrow();
    }

    @Test
    void rotatesTheClientCertificateKeepsTheCaAndTheNextInstallKeepsTheNewOne() {
        Install install = new Install(client, NS);
        install.values = new ValuesLoader.Request(List.of(EXAMPLE.toString()), List.of(), List.of(), "kdk");
        install.createNamespace = true;
        install.run();
        Map<String, String> ca = client.secrets().inNamespace(NS).withName("kdk-testing1-ca").get().getData();
        IssuedCertificate before = clientCert("testing1");
        IssuedCertificate other = clientCert("testing2");

        RotateCerts rotate = new RotateCerts(client, NS);
        rotate.names = List.of("testing1");
        rotate.clock = Clock.fixed(Instant.now().plusSeconds(3600), ZoneOffset.UTC);
        List<RotateCerts.Result> results = rotate.run();

        IssuedCertificate after = clientCert("testing1");
        assertThat(results).singleElement().extracting(RotateCerts.Result::owner).isEqualTo("testing1@example.org");
        assertThat(after.certificate()).isNotEqualTo(before.certificate());
        assertThat(after.commonName()).isEqualTo("testing1@example.org");
        assertThat(after.organizations()).containsExactly("system:masters");
        assertThat(after.notAfter()).isAfter(before.notAfter());
        assertThat(client.secrets().inNamespace(NS).withName("kdk-testing1-ca").get().getData()).isEqualTo(ca);
        assertThat(clientCert("testing2").certificate()).isEqualTo(other.certificate());

        install.run();
        assertThat(clientCert("testing1").certificate()).isEqualTo(after.certificate());
    }
}
