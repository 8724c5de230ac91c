package dev.kdk.cli;

import dev.kdk.cluster.Applier;
import dev.kdk.cluster.ClusterDeleter;
import dev.kdk.cluster.Install;
import dev.kdk.cluster.Waiter;
import dev.kdk.kube.KubeClients;
import dev.kdk.render.ChartTemplates;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kdk install}: render and apply every cluster of the values to the host cluster. */
@Command(name = "install", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create or update every cluster of the values on the host cluster (server-side apply).", "",
            "Safe to re-run: existing CAs are kept, client certificates are re-issued only when missing, expiring "
                + "or given to another owner, and only what changed is written. Clusters removed from the values are "
                + "reported; --prune deletes them (their data only with --delete-data).", "",
            "Example:", "  kdk install -f values.yaml -n kdk --create-namespace --wait"})
public class InstallCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    ValuesOptions values;

    @Mixin
    KubeOptions kube;

    @Option(names = "--create-namespace", description = "Create the namespace if it does not exist.")
    boolean createNamespace;

    @Option(names = "--dry-run", paramLabel = "MODE", arity = "0..1", fallbackValue = "client",
            description = "client: render with fresh certificates, contact no cluster; server: let the API server "
                    + "validate every object (dryRun=All), store nothing. --dry-run alone means client.")
    Install.DryRun dryRun;

    @Option(names = "--wait", description = "Wait until every cluster is Ready (see --timeout).")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long --wait waits, e.g. 90s, 10m, 1h (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--prune", description = "Delete clusters that are installed but no longer in the values.")
    boolean prune;

    @Option(names = "--delete-data", description = "With --prune: also delete their PersistentVolumeClaims.")
    boolean deleteData;

    @Option(names = "--force", description = "Take over objects that exist but are not managed by this release.")
    boolean force;

    @Override
    public void run() {
        if (deleteData && !prune) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--delete-data needs --prune");
        }
        PrintWriter out = spec.commandLine().getOut();
        Install.DryRun mode = dryRun == null ? Install.DryRun.none : dryRun;
        KubeClients clients = new KubeClients();
        try (KubernetesClient client = mode == Install.DryRun.client ? null : clients.client(kube.target())) {
            // Client dry run: the namespace as kubectl resolves it, from the kubeconfig alone (no connection).
            String namespace = client != null ? client.getNamespace() : clients.config(kube.target()).getNamespace();
            Install install = new Install(client, namespace);
            install.values = values.request();
            install.templates = values.chartTemplates == null ? null : ChartTemplates.fromDirectory(values.chartTemplates);
            install.createNamespace = createNamespace;
            install.dryRun = mode;
            install.prune = prune;
            install.deleteData = deleteData;
            install.force = force;
            Install.Result result = install.run();
            print(out, result);
            if (wait && mode == Install.DryRun.none) {
                Waiter waiter = new Waiter(client, namespace, result.release());
                waiter.timeout = timeout;
                waiter.out = out;
                waiter.ansi = System.console() != null;
                out.println("waiting up to " + timeout.toString().substring(2).toLowerCase(Locale.ROOT)
                        + " for the clusters to be ready");
                waiter.await(result.report().applied());
                out.println("all clusters ready");
            }
        }
        out.flush();
    }

    static void print(PrintWriter out, Install.Result r) {
        String prefix = switch (r.dryRun()) {
            case client -> "dry run (client): would apply";
            case server -> "dry run (server): the API server accepted";
            default -> "release " + r.release() + " revision " + r.revision() + ":";
        };
        out.println(prefix + (r.dryRun() == Install.DryRun.none ? "" : " the objects below")
                + " in namespace " + r.namespace() + (r.namespaceCreated() ? " (namespace created)" : ""));
        int width = r.report().results().stream().mapToInt(x -> x.cluster().length()).max().orElse(0);
        for (Applier.Result c : r.report().results()) {
            StringBuilder line = new StringBuilder(String.format("  %-" + width + "s  ", c.cluster()));
            if (c.created() + c.updated() == 0) {
                line.append("unchanged");
            } else {
                line.append(c.created() > 0 ? c.created() + " created" : "")
                        .append(c.created() > 0 && c.updated() > 0 ? ", " : "")
                        .append(c.updated() > 0 ? c.updated() + " updated" : "")
                        .append(c.unchanged() > 0 ? ", " + c.unchanged() + " unchanged" : "");
            }
            String note = r.pkiNotes().get(c.cluster());
            if (note != null) {
                line.append("; ").append(note);
            }
            out.println(line);
        }
        for (ClusterDeleter.Result p : r.pruned()) {
            out.println("  " + p.cluster() + "  pruned (" + p.deleted().size() + " objects deleted"
                    + (p.deletedVolumes().isEmpty() ? "" : ", data deleted: " + String.join(", ", p.deletedVolumes()))
                    + (p.keptVolumes().isEmpty() ? "" : ", data kept: " + String.join(", ", p.keptVolumes())) + ")");
        }
        java.util.List<String> kept = r.removed().stream()
                .filter(n -> r.pruned().stream().noneMatch(p -> p.cluster().equals(n))).toList();
        if (!kept.isEmpty()) {
            out.println("no longer in the values (kept; --prune deletes them): " + String.join(", ", kept));
        }
        if (r.dryRun() != Install.DryRun.none) {
            out.println("nothing was written (`kdk template` prints the manifests)");
        }
    }

    /** Go/Helm-style durations: 90s, 10m, 1h30m, 2h; a bare number means seconds. */
    public static class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d+)(h|m|s|ms)");

        @Override
        public Duration convert(String value) {
            if (value.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(value));
            }
            Matcher m = PART.matcher(value);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "ms" -> Duration.ofMillis(n);
                    default -> Duration.ofSeconds(n);
                });
                end = m.end();
            }
            if (end != value.length() || value.isEmpty()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 90s, 10m, 1h)");
            }
            return total;
        }
    }
}
