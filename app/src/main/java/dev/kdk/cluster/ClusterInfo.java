package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Instant;
import java.util.List;

/**
 * Everything kdk list/status/--wait show about one cluster, read from the host cluster.
 *
 * @param name the cluster name (label {@code kdk.dev/cluster})
 * @param owner the owner's email (annotation {@code kdk.dev/owner}), or null
 * @param statefulSet the live StatefulSet, or null if it does not exist
 * @param pod the pod {@code kdk-NAME-0}, or null
 * @param events the pod's events, oldest first
 * @param phase the phase and why
 * @param readyReplicas ready pods of the StatefulSet; @param replicas desired pods
 * @param restarts container restarts of the pod
 * @param created creation time of the StatefulSet, or null
 * @param certExpires notAfter of the owner's client certificate in Secret {@code kdk-NAME-kubeconfig}, or null
 * @param caExpires notAfter of the cluster CA in Secret {@code kdk-NAME-ca}, or null
 */
public record ClusterInfo(String name, String owner, StatefulSet statefulSet, Pod pod, List<Event> events,
        Phase.Reasoned phase, int readyReplicas, int replicas, int restarts, Instant created, Instant certExpires,
        Instant caExpires) {

    /** The row {@code kdk list -o json|yaml} prints: plain values, timestamps as RFC 3339 text. */
    public record Row(String name, String owner, String ready, String phase, String reason, int restarts,
            String created, String certExpires) {
    }

    public Row row() {
        return new Row(name, owner, readyReplicas + "/" + replicas, phase.phase().name(), phase.reason(), restarts,
                created != null ? created.toString() : null, certExpires != null ? certExpires.toString() : null);
    }
}
