package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A cluster's phase as kdk shows it, derived from its pod ({@code kdk-NAME-0}) and the pod's events:
 * Pending (no pod, unscheduled, volumes), Pulling (image pull in progress), Starting (container running, inner API
 * server not ready yet), Ready, Failed (image cannot be pulled, crash loop, container exited, pod failed).
 */
public enum Phase {
    Pending, Pulling, Starting, Ready, Failed;

    /** A phase with the reason behind it (empty when Ready). */
    public record Reasoned(Phase phase, String reason) {
    }

    /** Waiting reasons that will not resolve without a change (image, config, crash loop). */
    static final Set<String> FAILED_WAITING = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
            "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
            "ErrImageNeverPull");

    /**
     * Classifies {@code pod} (null if there is none yet) using {@code events} (the pod's events, any order; may be
     * empty).
     */
    public static Reasoned of(Pod pod, List<Event> events) {
        if (pod == null) {
            return new Reasoned(Pending, "no pod yet");
        }
        var status = pod.getStatus();
        if (status == null) {
            return new Reasoned(Pending, "pod has no status yet");
        }
        if ("Failed".equals(status.getPhase())) {
            return new Reasoned(Failed, join(status.getReason(), status.getMessage(), "pod failed"));
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new Reasoned(Pending, "pod is terminating");
        }
        List<ContainerStatus> containers = status.getContainerStatuses() == null ? List.of()
                : status.getContainerStatuses();
        for (ContainerStatus c : containers) {
            var state = c.getState();
            if (state != null && state.getWaiting() != null && FAILED_WAITING.contains(state.getWaiting().getReason())) {
                return new Reasoned(Failed, join(state.getWaiting().getReason(), state.getWaiting().getMessage(), ""));
            }
            if (state != null && state.getTerminated() != null) {
                var t = state.getTerminated();
                return new Reasoned(Failed, "container " + c.getName() + " exited with code " + t.getExitCode()
                        + (t.getReason() != null ? " (" + t.getReason() + ")" : ""));
            }
        }
        PodCondition ready = condition(pod, "Ready");
        if (ready != null && "True".equals(ready.getStatus())) {
            return new Reasoned(Ready, "");
        }
        PodCondition scheduled = condition(pod, "PodScheduled");
        if (scheduled != null && "False".equals(scheduled.getStatus())) {
            return new Reasoned(Pending, join(scheduled.getReason(), scheduled.getMessage(), "not scheduled"));
        }
        boolean running = containers.stream().anyMatch(c -> c.getState() != null && c.getState().getRunning() != null);
        if (running) {
            Event unhealthy = latest(events, Set.of("Unhealthy"));
            return new Reasoned(Starting, unhealthy != null ? "readiness: " + ApiErrors.oneLine(unhealthy.getMessage())
                    : "waiting for the inner API server to answer /readyz");
        }
        Event last = latest(events, Set.of("Pulling", "Pulled", "FailedMount", "FailedAttachVolume", "Failed",
                "FailedScheduling", "Scheduled", "Created", "Started"));
        if (last != null && "Pulling".equals(last.getReason())) {
            return new Reasoned(Pulling, ApiErrors.oneLine(last.getMessage()));
        }
        if (last != null && last.getReason() != null && last.getReason().startsWith("Failed")) {
            return new Reasoned(Pending, last.getReason() + ": " + ApiErrors.oneLine(last.getMessage()));
        }
        String waiting = containers.stream().filter(c -> c.getState() != null && c.getState().getWaiting() != null)
                .map(c -> c.getState().getWaiting().getReason()).findFirst().orElse(status.getPhase());
        return new Reasoned(Pending, waiting == null ? "waiting" : waiting);
    }

    static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** The newest event with one of {@code reasons}, by last/first timestamp or creation. */
    static Event latest(List<Event> events, Set<String> reasons) {
        return events.stream().filter(e -> reasons.contains(e.getReason())).max(Comparator.comparing(Phase::time))
                .orElse(null);
    }

    /** An event's time as sortable text (RFC 3339 strings sort chronologically). */
    static String time(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        if (e.getFirstTimestamp() != null) {
            return e.getFirstTimestamp();
        }
        return e.getMetadata() != null && e.getMetadata().getCreationTimestamp() != null
                ? e.getMetadata().getCreationTimestamp() : "";
    }

    private static String join(String reason, String message, String fallback) {
        if (reason == null && message == null) {
            return fallback;
        }
        if (message == null) {
            return reason;
        }
        return (reason != null ? reason + ": " : "") + ApiErrors.oneLine(message);
    }
}
