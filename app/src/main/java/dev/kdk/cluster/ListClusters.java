package dev.kdk.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;

/** {@code kdk list}: the clusters of a release with owner, readiness, phase, restarts, age and cert expiry. */
public final class ListClusters {
    private final KubernetesClient client;
    private final String namespace;

    /** The release to list. */
    public String release = "kdk";

    public ListClusters(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The clusters, sorted by name; throws KdkException when the API refuses a list. */
    public List<ClusterInfo> run() {
        return new ClusterInspector(client, namespace, release).all();
    }

    /** The table: NAME OWNER READY PHASE RESTARTS AGE CERT EXPIRES, ages relative to {@code now}. */
    public static String table(List<ClusterInfo> clusters, Instant now) {
        Table table = new Table("NAME", "OWNER", "READY", "PHASE", "RESTARTS", "AGE", "CERT EXPIRES");
        for (ClusterInfo c : clusters) {
            table.row(c.name(), c.owner() == null ? "<none>" : c.owner(), c.readyReplicas() + "/" + c.replicas(),
                    c.phase().phase().name(), String.valueOf(c.restarts()), Table.age(c.created(), now),
                    Table.expiry(c.certExpires(), now));
        }
        return table.render();
    }

    /** The clusters as a JSON array of {@link ClusterInfo.Row} (fabric8's Jackson mapper). */
    public static String json(List<ClusterInfo> clusters) {
        return Serialization.asJson(clusters.stream().map(ClusterInfo::row).toList());
    }

    /** The clusters as a YAML list of {@link ClusterInfo.Row} (fabric8's YAML serialization). */
    public static String yaml(List<ClusterInfo> clusters) {
        return Serialization.asYaml(clusters.stream().map(ClusterInfo::row).toList());
    }
}
