package dev.kdk.cluster;

import dev.kdk.testing.MockHostCluster;
import dev.kdk.testing.HostApiDispatcher;
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
 * {@code scripts/bench install} (runs {@link #main}), or
 * {@code mvn -o -q test -pl app -Dtest=InstallBenchmark -Dkdk.bench=true [-Dkdk.bench.installClusters=200]}.
 */
@EnabledIfSystemProperty(named = "kdk.bench", matches = "true")
public class InstallBenchmark {
    @TempDir
    Path tmp;

    /** {@code InstallBenchmark [CLUSTERS]}: the same figures from the command line (default 200 clusters). */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("kdk-install-bench");
        try {
            run(args.length > 0 ? Integer.parseInt(args[0]) : 200, dir);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    @Test
    void installManyClusters() throws Exception {
        run(Integer.getInteger("kdk.bench.installClusters", 200), tmp);
    }

    static void run(int clusters, Path tmp) throws Exception {
        StringBuilder values = new StringBuilder("clusters:\n");
        for (int i = 0; i < clusters; i++) {
            values.append("  dev").append(i).append(":\n    email: dev").append(i).append("@example.org\n");
        }
        Path file = Files.writeString(tmp.resolve("values.yaml"), values);
        try (MockHostCluster server = new MockHostCluster()) {
            measure(server, "first install", file, false);
            measure(server, "unchanged re-run", file, false);
            StringBuilder fewer = new StringBuilder("clusters:\n");
            for (int i = 0; i < clusters / 2; i++) {
                fewer.append("  dev").append(i).append(":\n    email: dev").append(i).append("@example.org\n");
            }
            measure(server, "prune half", Files.writeString(tmp.resolve("half.yaml"), fewer), true);
        }
    }

    private static void measure(MockHostCluster server, String label, Path values, boolean prune) {
        server.api().clearJournal();
        Install install = new Install(server.client(), "bench");
        install.values = new ValuesLoader.Request(List.of(values.toString()), List.of(), List.of(), "kdk");
        install.createNamespace = true;
        install.prune = prune;
        long start = System.nanoTime();
        Install.Result result = install.run();
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<HostApiDispatcher.Request> journal = server.api().journal();
        Map<String, Long> byVerb = new TreeMap<>(journal.stream()
                .collect(Collectors.groupingBy(HostApiDispatcher.Request::verb, Collectors.counting())));
        System.out.printf("install bench: %s of %d clusters: %d ms wall, %d API requests %s, %d objects written, "
                + "%d pruned (%d cores)%n", label, result.report().results().size(), millis, journal.size(), byVerb,
                result.report().writes(), result.pruned().size(), Runtime.getRuntime().availableProcessors());
    }
}
