package dev.kdk.cluster;

import dev.kdk.KdkException;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;

/** {@code kdk status NAME}: one cluster's pod conditions, container state, last events, cert expiry, connect command. */
public final class Status {
    private final KubernetesClient client;
    private final String namespace;

    /** The release the cluster belongs to. */
    public String release = "kdk";
    /** The cluster name. */
    public String name;
    /** How many of the newest events to show. */
    public int events = 10;

    public Status(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The cluster; throws KdkException (usage) naming the installed clusters if {@link #name} is not one. */
    public ClusterInfo run() {
        List<ClusterInfo> all = new ClusterInspector(client, namespace, release).all();
        return all.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new KdkException(
                "no cluster " + name + " in release " + release + " (namespace " + namespace + "); installed: "
                        + (all.isEmpty() ? "none" : String.join(", ", all.stream().map(ClusterInfo::name).toList())),
                KdkException.USAGE, null));
    }

    /** The report for {@code c} in namespace {@code namespace}, times relative to {@code now}. */
    public String describe(ClusterInfo c, Instant now) {
        StringBuilder out = new StringBuilder();
        line(out, "Cluster", c.name() + " (release " + release + ", namespace " + namespace + ")");
        line(out, "Owner", c.owner() == null ? "<none>" : c.owner());
        line(out, "Phase", c.phase().phase() + (c.phase().reason().isEmpty() ? "" : ": " + c.phase().reason()));
        line(out, "Ready", c.readyReplicas() + "/" + c.replicas());
        line(out, "Age", Table.age(c.created(), now));
        if (c.pod() == null) {
            line(out, "Pod", "<none>");
        } else {
            var pod = c.pod();
            String node = pod.getSpec() != null && pod.getSpec().getNodeName() != null ? pod.getSpec().getNodeName()
                    : "<unscheduled>";
            line(out, "Pod", pod.getMetadata().getName() + " on " + node + ", restarts " + c.restarts());
            out.append("Conditions:\n");
            Table conditions = new Table("  TYPE", "STATUS", "REASON", "MESSAGE");
            List<PodCondition> list = pod.getStatus() == null || pod.getStatus().getConditions() == null ? List.of()
                    : pod.getStatus().getConditions();
            for (PodCondition cond : list) {
                conditions.row("  " + cond.getType(), cond.getStatus(), cond.getReason(),
                        ApiErrors.oneLine(cond.getMessage()));
            }
            out.append(conditions.render());
            out.append("Containers:\n");
            List<ContainerStatus> containers = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                    ? List.of() : pod.getStatus().getContainerStatuses();
            for (ContainerStatus cs : containers) {
                out.append("  ").append(cs.getName()).append(": ").append(state(cs, now))
                        .append(", ready ").append(Boolean.TRUE.equals(cs.getReady())).append(", restarts ")
                        .append(cs.getRestartCount() == null ? 0 : cs.getRestartCount()).append('\n');
            }
        }
        line(out, "Client cert", Table.expiry(c.certExpires(), now));
        line(out, "Cluster CA", Table.expiry(c.caExpires(), now));
        List<Event> shown = c.events().subList(Math.max(0, c.events().size() - events), c.events().size());
        out.append("Events:").append(shown.isEmpty() ? " <none>\n" : "\n");
        if (!shown.isEmpty()) {
            Table t = new Table("  AGE", "TYPE", "REASON", "MESSAGE");
            for (Event e : shown) {
                Instant at = ClusterInspector.parse(Phase.time(e));
                t.row("  " + Table.age(at, now), e.getType(), e.getReason(), ApiErrors.oneLine(e.getMessage()));
            }
            out.append(t.render());
        }
        // kdk connect takes NAME for release kdk, RELEASE-NAME for another release.
        line(out, "Connect", "kdk connect " + ("kdk".equals(release) ? c.name()
                : dev.kdk.render.Renderer.fullname(release, c.name())) + " -n " + namespace);
        return out.toString();
    }

    private static String state(ContainerStatus cs, Instant now) {
        var s = cs.getState();
        if (s == null) {
            return "unknown";
        }
        if (s.getRunning() != null) {
            return "running for " + Table.age(ClusterInspector.parse(s.getRunning().getStartedAt()), now);
        }
        if (s.getWaiting() != null) {
            return "waiting (" + s.getWaiting().getReason() + (s.getWaiting().getMessage() != null ? ": "
                    + ApiErrors.oneLine(s.getWaiting().getMessage()) : "") + ")";
        }
        var t = s.getTerminated();
        return "terminated (exit code " + t.getExitCode() + (t.getReason() != null ? ", " + t.getReason() : "") + ")";
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("%-12s %s%n", key + ":", value).replace(System.lineSeparator(), "\n"));
    }
}
