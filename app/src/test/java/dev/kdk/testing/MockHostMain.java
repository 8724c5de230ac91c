package dev.kdk.testing;

import dev.kdk.pki.CertificateAuthority;
import dev.kdk.pki.Kubeconfigs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * For trying kdk by hand: a mock host cluster with cluster testing1 (pod Ready, kubeconfig Secret) forwarding to a
 * fake inner API server. Writes the host kubeconfig to the directory given as argument and runs until killed. The pod's
 * port also serves {@link LoopbackServer#bulkOr bulk transfers}, for measuring a forward's throughput by hand. The API
 * is served over TLS, as real ones are; {@code -Dkdk.mock.http=true} serves plain HTTP.
 */
public final class MockHostMain {
    private MockHostMain() {
    }

    public static void main(String[] args) throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kdk-testing1-ca", Duration.ofDays(1), Instant.now());
        FakeApiServer api = FakeApiServer.start(ca);
        MockHostCluster host = new MockHostCluster("kdk-system", !Boolean.getBoolean("kdk.mock.http"));
        LoopbackServer pod = LoopbackServer.bulkOr(new InetSocketAddress(InetAddress.getLoopbackAddress(), api.port()));
        host.api().backend(16443, pod.address());
        host.createPod("testing1", true);
        host.createKubeconfigSecret("testing1", "config", Kubeconfigs.build("kdk-testing1", "https://127.0.0.1:16443",
                ca.certificatePem(), ca.issueClient("dev@example.org", List.of("system:masters"), Duration.ofDays(1),
                        Instant.now())));
        System.out.println(host.writeKubeconfig(Path.of(args.length > 0 ? args[0] : ".").resolve("host-kubeconfig"),
                host.namespace()));
        System.out.flush();
        Thread.currentThread().join();
    }
}
