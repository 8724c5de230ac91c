package dev.kdk.pki;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures what {@code kdk template} needs per cluster: a fresh CA, a client certificate, the CA Secret's PEM and
 * the kubeconfig YAML. Prints figures, asserts nothing; runs only when asked:
 * {@code mvn -o -q test -pl app -Dtest=PkiBenchmark -Dkdk.bench=true [-Dkdk.bench.clusters=1000]}.
 */
@EnabledIfSystemProperty(named = "kdk.bench", matches = "true")
class PkiBenchmark {
    @Test
    void freshPkiForManyClusters() {
        int clusters = Integer.getInteger("kdk.bench.clusters", 1000);
        long start = System.nanoTime();
        pki(0); // first use: provider and class loading
        long firstMillis = (System.nanoTime() - start) / 1_000_000;

        long serialStart = System.nanoTime();
        IntStream.range(0, clusters / 10).forEach(PkiBenchmark::pki);
        double serialPerCluster = (System.nanoTime() - serialStart) / 1e6 / (clusters / 10);

        long parallelStart = System.nanoTime();
        long bytes = IntStream.range(0, clusters).parallel().mapToLong(PkiBenchmark::pki).sum();
        long parallelMillis = (System.nanoTime() - parallelStart) / 1_000_000;

        System.out.printf("pki: first cluster %d ms (includes provider set-up); %.2f ms per cluster on one thread;"
                + " %d clusters in %d ms on %d cores (%d bytes of PEM and YAML)%n", firstMillis, serialPerCluster,
                clusters, parallelMillis, Runtime.getRuntime().availableProcessors(), bytes);
    }

    private static long pki(int i) {
        Instant now = Instant.now();
        CertificateAuthority ca = CertificateAuthority.generate("kdk-testing" + i + "-ca", Duration.ofDays(3650), now);
        IssuedCertificate client = ca.issueClient("dev" + i + "@example.com", List.of("system:masters"),
                Duration.ofDays(365), now);
        String caPem = ca.certificatePem();
        String caKey = ca.privateKeyPem();
        String kubeconfig = Kubeconfigs.build("kdk-testing" + i, "https://127.0.0.1:16443", caPem, client);
        return caPem.length() + caKey.length() + kubeconfig.length();
    }
}
