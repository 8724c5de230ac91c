package dev.kdk.connect;

import dev.kdk.KdkException;
import dev.kdk.cluster.ApiErrors;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds pod {@code kdk-NAME-0} in the client's namespace and waits until it is Ready. Polls with {@code get}
 * because that is all Role {@code kdk-NAME-user} grants a developer (no list/watch).
 */
public final class ClusterPodLocator {
    /** Label carried by every object of a cluster; its value is the cluster name. */
    public static final String CLUSTER_LABEL = "kdk.dev/cluster";

    private static final Duration POLL = Duration.ofMillis(500);
    /** Pods, read as generic resources (see {@link PodState}); naming the plural spares a discovery request. */
    private static final ResourceDefinitionContext PODS = new ResourceDefinitionContext.Builder().withVersion("v1")
            .withKind("Pod").withPlural("pods").withNamespaced(true).build();

    private final KubernetesClient client;
    private final Progress progress;

    public ClusterPodLocator(KubernetesClient client, Progress progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * Returns pod {@code kdk-NAME-0} once it is Ready, waiting at most {@code timeout} and printing a progress line
     * each time its phase changes. Throws KdkException (exit 1) if the pod does not exist (listing the clusters
     * that do, when the user may list pods), if it failed (with its last event or container state), if
     * {@code timeout} passes, or if the user may not get it.
     */
    public PodState awaitReady(ClusterName name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastState = null;
        while (true) {
            PodState pod = get(name);
            if (pod == null) {
                throw notFound(name);
            }
            String phase = pod.phase();
            if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
                throw new KdkException("pod " + name.podName() + " in namespace " + client.getNamespace() + " has "
                        + (phase.equals("Failed") ? "failed" : "exited") + ": " + lastWord(pod)
                        + "; see kubectl describe pod " + name.podName());
            }
            if (pod.ready()) {
                return pod;
            }
            String state = phase + (pod.waitingReason() != null ? ", " + pod.waitingReason() : "");
            if (!state.equals(lastState)) {
                progress.step(". waiting for pod " + name.podName() + " to be ready (" + state + ")");
                lastState = state;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new KdkException("pod " + name.podName() + " in namespace " + client.getNamespace()
                        + " is not ready after " + format(timeout) + " (" + state + "; " + lastWord(pod)
                        + "); raise --timeout or check kubectl describe pod " + name.podName());
            }
            sleep(Math.min(left, POLL.toNanos()));
        }
    }

    /**
     * Waits until pod {@code kdk-NAME-0} exists and is Ready, for at most {@code timeout}; returns it, or null if the
     * time passed or the wait was interrupted. Never throws for a missing pod: used while a pod restarts.
     */
    public PodState awaitReadyQuietly(ClusterName name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                PodState pod = get(name);
                if (pod != null && pod.ready()) {
                    return pod;
                }
            } catch (KdkException e) {
                // an API hiccup while the pod restarts: keep waiting until the deadline
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, POLL.toNanos())).toMillis() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }

    /** The pod, or null if it does not exist; throws KdkException naming the permission on 403. */
    public PodState get(ClusterName name) {
        try {
            GenericKubernetesResource pod = client.genericKubernetesResources(PODS).inNamespace(client.getNamespace())
                    .withName(name.podName()).get();
            return pod == null ? null : PodState.of(pod);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new KdkException("forbidden: you may not get pod " + name.podName() + " in namespace "
                        + client.getNamespace() + "; the admin grants it to each developer through Role "
                        + name.userRoleName() + " (kdk install creates it for the cluster's email)", e);
            }
            throw ApiErrors.of(client).map("get", "pod " + name.podName() + " in namespace " + client.getNamespace(),
                    e);
        }
    }

    private KdkException notFound(ClusterName name) {
        String ns = client.getNamespace();
        String message = "pod " + name.podName() + " not found in namespace " + ns + "; ";
        try {
            TreeSet<String> names = new TreeSet<>();
            client.pods().inNamespace(ns).withLabel(CLUSTER_LABEL).list().getItems().stream()
                    .map(p -> p.getMetadata().getLabels().get(CLUSTER_LABEL)).filter(Objects::nonNull)
                    .forEach(names::add);
            message += names.isEmpty() ? "there are no kdk clusters in this namespace (check -n/--context)"
                    : "clusters here: " + String.join(", ", names);
        } catch (KubernetesClientException e) {
            message += "is cluster " + name + " installed in this namespace (check -n/--context)?";
        }
        return new KdkException(message);
    }

    /** The last event about the pod if the user may list events, else the container state, else "no events". */
    private String lastWord(PodState pod) {
        try {
            List<Event> events = client.v1().events().inNamespace(client.getNamespace()).list().getItems();
            Optional<Event> last = events.stream()
                    .filter(e -> e.getInvolvedObject() != null
                            && pod.name().equals(e.getInvolvedObject().getName()))
                    .max(Comparator.comparing(ClusterPodLocator::eventTime));
            if (last.isPresent()) {
                return "last event: " + last.get().getReason() + ": " + last.get().getMessage();
            }
        } catch (KubernetesClientException e) {
            // developers usually may not list events; fall back to the pod's own status
        }
        if (pod.containerState() != null) {
            return pod.containerState();
        }
        if (pod.message() != null) {
            return pod.message();
        }
        return "no events visible";
    }

    private static String eventTime(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : null;
        if (t == null && e.getMetadata() != null) {
            t = e.getMetadata().getCreationTimestamp();
        }
        return t == null ? "" : t;
    }

    static String format(Duration d) {
        if (d.toSecondsPart() == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + "m";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, Duration.ofNanos(nanos).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KdkException("interrupted while waiting for the pod");
        }
    }
}
