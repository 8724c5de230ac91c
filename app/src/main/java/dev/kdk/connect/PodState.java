package dev.kdk.connect;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code kdk connect} needs to know of its pod, read from the pod's JSON as the API server returns it. A pod is
 * read as a {@link GenericKubernetesResource} (maps), not fabric8's typed Pod: the first typed read builds Jackson's
 * deserializers for the whole Pod model, a few hundred classes and about 0.35 s of CPU per connect.
 *
 * @param name           the pod's name
 * @param uid            its UID
 * @param phase          {@code status.phase}, "Unknown" if absent
 * @param ready          whether condition Ready is True, as {@code kubectl wait --for=condition=Ready} reads it
 * @param restarts       the sum of its containers' restart counts
 * @param waitingReason  the first waiting container's reason (say "ContainerCreating"), or null
 * @param containerState the first waiting or terminated container, as one line ("container dind waiting:
 *                       CrashLoopBackOff: ..."), or null
 * @param message        {@code status.message}, or null
 */
public record PodState(String name, String uid, String phase, boolean ready, int restarts, String waitingReason,
        String containerState, String message) {

    /** Reads the fields above from {@code pod}; absent fields give null, 0 or false. */
    public static PodState of(GenericKubernetesResource pod) {
        String phase = Objects.requireNonNullElse(pod.get("status", "phase"), "Unknown");
        boolean ready = false;
        for (Map<String, Object> condition : maps(pod.get("status", "conditions"))) {
            if ("Ready".equals(condition.get("type"))) {
                ready = "True".equals(condition.get("status"));
            }
        }
        int restarts = 0;
        String waitingReason = null;
        String containerState = null;
        for (Map<String, Object> status : maps(pod.get("status", "containerStatuses"))) {
            restarts += status.get("restartCount") instanceof Number n ? n.intValue() : 0;
            String container = (String) status.get("name");
            String reason = GenericKubernetesResource.get(status, "state", "waiting", "reason");
            if (waitingReason == null) {
                waitingReason = reason;
            }
            if (containerState == null && GenericKubernetesResource.get(status, "state", "waiting") != null) {
                String detail = GenericKubernetesResource.get(status, "state", "waiting", "message");
                containerState = "container " + container + " waiting: " + reason + (detail != null ? ": " + detail
                        : "");
            } else if (containerState == null && GenericKubernetesResource.get(status, "state", "terminated") != null) {
                Object exitCode = GenericKubernetesResource.get(status, "state", "terminated", "exitCode");
                containerState = "container " + container + " terminated: "
                        + GenericKubernetesResource.get(status, "state", "terminated", "reason") + " (exit code "
                        + exitCode + ")";
            }
        }
        return new PodState(pod.getMetadata().getName(), pod.getMetadata().getUid(), phase, ready, restarts,
                waitingReason, containerState, pod.get("status", "message"));
    }

    /** UID plus the sum of container restart counts: changes when the pod is recreated or its container restarts. */
    public String identity() {
        return uid + "/" + restarts;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return list instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
