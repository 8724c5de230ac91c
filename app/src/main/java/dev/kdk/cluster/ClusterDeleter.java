package dev.kdk.cluster;

import dev.kdk.render.KindOrder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deletes one cluster's objects (those labelled {@code kdk.dev/cluster=NAME} for the release), in reverse install
 * order. Its data volumes (PVCs created from the StatefulSet's volumeClaimTemplates) are deleted only when asked.
 */
public final class ClusterDeleter {
    /** What was done for one cluster: objects deleted ("Kind name"), PVCs deleted and PVCs kept. */
    public record Result(String cluster, List<String> deleted, List<String> deletedVolumes, List<String> keptVolumes) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String release;
    private final ApiErrors errors;

    public ClusterDeleter(KubernetesClient client, String namespace, String release) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
        this.errors = ApiErrors.of(client);
    }

    /**
     * Deletes {@code objects} (the cluster's live objects) and, if {@code deleteData}, its PVCs; throws KdkException
     * naming the object when the API refuses.
     */
    public Result delete(String cluster, List<HasMetadata> objects, boolean deleteData) {
        List<String> deleted = new ArrayList<>();
        Set<String> volumes = new TreeSet<>();
        List<HasMetadata> ordered = new ArrayList<>(objects);
        ordered.sort(Comparator.comparingInt((HasMetadata o) -> KindOrder.rank(o.getKind())).reversed());
        for (HasMetadata o : ordered) {
            if (o instanceof StatefulSet sts) {
                volumes.addAll(claimNames(sts));
            }
            String what = o.getKind() + " " + o.getMetadata().getName();
            errors.call("delete", what + " in namespace " + namespace,
                    () -> client.resource(o).inNamespace(namespace).delete());
            deleted.add(what);
        }
        // PVCs the StatefulSet controller created carry the pod's selector labels; find any the names missed.
        List<PersistentVolumeClaim> labelled = errors.call("list", "persistentvolumeclaims in namespace " + namespace,
                () -> client.persistentVolumeClaims().inNamespace(namespace)
                        .withLabels(java.util.Map.of(Labels.INSTANCE, release, Labels.CLUSTER, cluster)).list()
                        .getItems());
        labelled.forEach(p -> volumes.add(p.getMetadata().getName()));
        List<String> existing = new ArrayList<>();
        for (String name : volumes) {
            PersistentVolumeClaim pvc = errors.call("get", "PersistentVolumeClaim " + name + " in namespace "
                    + namespace, () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
            if (pvc != null) {
                existing.add(name);
            }
        }
        if (!deleteData) {
            return new Result(cluster, deleted, List.of(), existing);
        }
        for (String name : existing) {
            errors.call("delete", "PersistentVolumeClaim " + name + " in namespace " + namespace,
                    () -> client.persistentVolumeClaims().inNamespace(namespace).withName(name).delete());
        }
        return new Result(cluster, deleted, existing, List.of());
    }

    /** PVC names of a StatefulSet: TEMPLATE-STS-ORDINAL for every claim template and ordinal. */
    static List<String> claimNames(StatefulSet sts) {
        List<String> names = new ArrayList<>();
        if (sts.getSpec() == null || sts.getSpec().getVolumeClaimTemplates() == null) {
            return names;
        }
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        for (PersistentVolumeClaim template : sts.getSpec().getVolumeClaimTemplates()) {
            for (int i = 0; i < Math.max(1, replicas); i++) {
                names.add(template.getMetadata().getName() + "-" + sts.getMetadata().getName() + "-" + i);
            }
        }
        return names;
    }
}
