package dev.kdk.cluster;

import dev.kdk.KdkException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code kdk uninstall [NAME ...|--all]}: deletes clusters of a release and removes them from its
 * {@link ReleaseRecord}. PVCs (the clusters' Docker data) are kept unless {@link #deleteData}.
 */
public final class Uninstall {
    private final KubernetesClient client;
    private final String namespace;

    /** Release whose clusters are deleted. */
    public String release = "kdk";
    /** Clusters to delete; ignored when {@link #all}. */
    public List<String> names = new ArrayList<>();
    /** Delete every cluster of the release (and the release record). */
    public boolean all;
    /** Also delete the clusters' PVCs. */
    public boolean deleteData;

    public Uninstall(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * Deletes the clusters; returns one result per cluster in the order asked (sorted for --all). Throws
     * KdkException (usage) for a name that is neither live nor recorded, before deleting anything.
     */
    public List<ClusterDeleter.Result> run() {
        if (!all && names.isEmpty()) {
            throw new KdkException("name the clusters to uninstall, or pass --all", KdkException.USAGE, null);
        }
        ApiErrors errors = ApiErrors.of(client);
        ReleaseStore store = new ReleaseStore(client, namespace);
        ReleaseRecord record = store.load(release);
        LiveState live = LiveState.load(client, namespace, errors);
        Map<String, List<HasMetadata>> byCluster = live.byCluster(release);
        Set<String> known = new TreeSet<>(byCluster.keySet());
        known.addAll(record.clusters().keySet());
        List<String> targets = all ? new ArrayList<>(known) : names;
        List<String> unknown = targets.stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new KdkException("no cluster " + String.join(", ", unknown) + " in release " + release
                    + " (namespace " + namespace + "); installed: " + (known.isEmpty() ? "none" : String.join(", ",
                            known)), KdkException.USAGE, null);
        }
        ClusterDeleter deleter = new ClusterDeleter(client, namespace, release);
        List<ClusterDeleter.Result> results = new ArrayList<>();
        Map<String, ReleaseRecord.Cluster> remaining = new LinkedHashMap<>(record.clusters());
        for (String name : targets) {
            results.add(deleter.delete(name, byCluster.getOrDefault(name, List.of()), deleteData));
            remaining.remove(name);
        }
        if (remaining.isEmpty() && (all || record.revision() > 0)) {
            if (record.revision() > 0) {
                store.delete(release);
            }
        } else if (record.revision() > 0) {
            store.save(record.next(record.status(), record.valuesDigest(), Instant.now().toString(), remaining));
        }
        return results;
    }
}
