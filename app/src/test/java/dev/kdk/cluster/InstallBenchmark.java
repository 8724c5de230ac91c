package dev.kdk.cluster;

import dev.kdk.testing.KdkMockServer;
import dev.kdk.testing.SsaCrudDispatcher;
import dev.kdk.values.ValuesLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kdk install} of many clusters against the SSA-capable mock API server: wall time and API requests of a
 * first install, of an unchanged re-run and of a prune. Prints figures, asserts nothing; runs only when asked:
 * {@code mvn -o -q test -pl app -Dtest=InstallBenchmark -Dkdk.bench=true [-Dkdk.bench.installClusters=200]}.
 */
@EnabledIfSystemProperty(named = "kdk.bench", matches = "true")
class InstallBenchmark {
    @TempDir
    Path tmp;

    @Test
    void installManyClusters() throws Exception {
        int clusters = Integer.getInteger("kdk.bench.installClusters", 200);
        StringBuilder values = new StringBuilder("clusters:\n");
        for (int i = 0; i < clusters; i++) {
            values.append("  dev").append(i).append(":\n    email: dev").append(i).append("@example.org\n");
        }
        Path file = Files.writeString(tmp.resolve("values.yaml"), values);
        var rv = new ValuesLoader().load(new ValuesLoader.Request(List.of(file.toString()), List.of(), List.of(), "kdk"));
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            new dev.kdk.render.Renderer(dev.kdk.render.ChartTemplates.embedded()).render(rv, "bench",
                    new dev.kdk.render.FreshPki("kdk"));
            System.out.printf("install bench: render with fresh PKI of %d clusters: %d ms%n", clusters,
                    (System.nanoTime() - t) / 1_000_000);
        }
        try (KdkMockServer server = new KdkMockServer()) {
            measure(server, "first install", file, false);
            measure(server, "unchanged re-run", file, false);
            StringBuilder fewer = new StringBuilder("clusters:\n");
            for (int i = 0; i < clusters / 2; i++) {
                fewer.append("  dev").append(i).append(":\n    email: dev").append(i).append("@example.org\n");
            }
            measure(server, "prune half", Files.writeString(tmp.resolve("half.yaml"), fewer), true);
        }
    }

    private static void measure(KdkMockServer server, String label, Path values, boolean prune) {
        server.api().clearJournal();
        Install install = new Install(server.client(), "bench");
        install.values = new ValuesLoader.Request(List.of(values.toString()), List.of(), List.of(), "kdk");
        install.createNamespace = true;
        install.prune = prune;
        long start = System.nanoTime();
        Install.Result result = install.run();
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<SsaCrudDispatcher.Request> journal = server.api().journal();
        Map<String, Long> byVerb = new TreeMap<>(journal.stream()
                .collect(Collectors.groupingBy(SsaCrudDispatcher.Request::verb, Collectors.counting())));
        System.out.printf("install bench: %s of %d clusters: %d ms wall, %d API requests %s, %d objects written, "
                + "%d pruned (%d cores)%n", label, result.report().results().size(), millis, journal.size(), byVerb,
                result.report().writes(), result.pruned().size(), Runtime.getRuntime().availableProcessors());
    }
}
