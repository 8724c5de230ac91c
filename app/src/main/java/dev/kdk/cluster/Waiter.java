package dev.kdk.cluster;

import dev.kdk.KdkException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code --wait}: watches the release's StatefulSets, pods and events with fabric8 informers until every named
 * cluster is Ready or {@link #timeout} passes. Progress: on a terminal one line per cluster, redrawn in place
 * (ANSI); otherwise a plain line whenever a cluster's phase or reason changes.
 */
public final class Waiter {
    private final KubernetesClient client;
    private final String namespace;
    private final String release;
    private final ApiErrors errors;

    /** Longest wait. */
    public Duration timeout = Duration.ofMinutes(10);
    /** Where progress goes; null for none. */
    public PrintWriter out;
    /** Redraw in place with ANSI escapes (for a terminal) instead of printing changes line by line. */
    public boolean ansi;
    /** Time source (tests pass a fixed clock for ages). */
    public Clock clock = Clock.systemUTC();

    public Waiter(KubernetesClient client, String namespace, String release) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
        this.errors = ApiErrors.of(client);
    }

    /**
     * Waits until every cluster of {@code clusters} is Ready; returns their final state. Throws KdkException on
     * timeout naming each cluster that is not ready, its phase and why.
     */
    public List<ClusterInfo> await(Collection<String> clusters) {
        Semaphore changed = new Semaphore(0);
        ResourceEventHandler<HasMetadata> signal = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata obj) {
                changed.release();
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                changed.release();
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                changed.release();
            }
        };
        Map<String, String> selector = Labels.release(release);
        String in = " in namespace " + namespace;
        List<SharedIndexInformer<?>> informers = new ArrayList<>();
        try {
            SharedIndexInformer<StatefulSet> sets = errors.call("watch", "statefulsets" + in, () -> client.apps()
                    .statefulSets().inNamespace(namespace).withLabels(selector).inform(handler(signal)));
            informers.add(sets);
            SharedIndexInformer<Pod> pods = errors.call("watch", "pods" + in,
                    () -> client.pods().inNamespace(namespace).withLabels(selector).inform(handler(signal)));
            informers.add(pods);
            SharedIndexInformer<Event> events = errors.call("watch", "events" + in,
                    () -> client.v1().events().inNamespace(namespace).inform(handler(signal)));
            informers.add(events);
            Instant deadline = clock.instant().plus(timeout);
            Map<String, String> shown = new HashMap<>();
            int drawn = 0;
            while (true) {
                List<ClusterInfo> infos = ClusterInspector.assemble(sets.getStore().list(), pods.getStore().list(),
                        List.of(), events.getStore().list());
                List<ClusterInfo> wanted = new ArrayList<>();
                for (String name : clusters) {
                    wanted.add(infos.stream().filter(i -> i.name().equals(name)).findFirst()
                            .orElse(new ClusterInfo(name, null, null, null, List.of(),
                                    new Phase.Reasoned(Phase.Pending, "no StatefulSet yet"), 0, 1, 0, null, null,
                                    null)));
                }
                drawn = draw(wanted, shown, drawn);
                List<ClusterInfo> notReady = wanted.stream().filter(i -> !ready(i)).toList();
                if (notReady.isEmpty()) {
                    return wanted;
                }
                long left = Duration.between(clock.instant(), deadline).toMillis();
                if (left <= 0) {
                    throw timedOut(notReady, wanted.size());
                }
                changed.tryAcquire(Math.min(left, 1000), TimeUnit.MILLISECONDS);
                changed.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KdkException("interrupted while waiting for the clusters", e);
        } finally {
            informers.forEach(SharedIndexInformer::close);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> handler(ResourceEventHandler<HasMetadata> h) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
    }

    /** Ready: the pod is Ready and the StatefulSet controller has seen the current spec. */
    static boolean ready(ClusterInfo i) {
        if (i.phase().phase() != Phase.Ready) {
            return false;
        }
        StatefulSet sts = i.statefulSet();
        if (sts == null || sts.getStatus() == null || sts.getStatus().getObservedGeneration() == null) {
            return true;
        }
        return sts.getMetadata().getGeneration() == null
                || sts.getStatus().getObservedGeneration() >= sts.getMetadata().getGeneration();
    }

    private KdkException timedOut(List<ClusterInfo> notReady, int total) {
        StringBuilder message = new StringBuilder("timed out after " + Table.human(timeout) + ": " + notReady.size()
                + " of " + total + " clusters not ready");
        for (ClusterInfo i : notReady) {
            message.append('\n').append(i.name()).append(": ").append(i.phase().phase())
                    .append(i.phase().reason().isEmpty() ? "" : " (" + i.phase().reason() + ")");
        }
        return new KdkException(message.toString());
    }

    private int draw(List<ClusterInfo> infos, Map<String, String> shown, int drawn) {
        if (out == null) {
            return drawn;
        }
        int width = infos.stream().mapToInt(i -> i.name().length()).max().orElse(0);
        if (ansi) {
            StringBuilder frame = new StringBuilder();
            if (drawn > 0) {
                frame.append("\033[").append(drawn).append('A');
            }
            for (ClusterInfo i : infos) {
                frame.append("\r\033[2K").append(line(i, width)).append('\n');
            }
            out.print(frame);
            out.flush();
            return infos.size();
        }
        for (ClusterInfo i : infos) {
            String line = line(i, width);
            if (!line.equals(shown.put(i.name(), line))) {
                out.println(line);
            }
        }
        out.flush();
        return drawn;
    }

    private static String line(ClusterInfo i, int width) {
        String reason = i.phase().reason().isEmpty() ? "" : "  " + i.phase().reason();
        return String.format("%-" + width + "s  %-8s%s", i.name(), i.phase().phase(), reason);
    }
}
