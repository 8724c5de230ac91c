package dev.kdk.cluster;

import dev.kdk.KdkException;
import dev.kdk.render.KindOrder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NamespaceableResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Server-side apply (field manager {@code kdk}) of each cluster's objects, in Helm's kind order, clusters in
 * parallel (at most {@link #parallelism} at once).
 * <p>Before writing, each object is checked against {@link LiveState}:
 * <ul>
 *   <li>an existing object without kdk's labels for this release is not taken over: KdkException naming it, unless
 *       {@link #force};</li>
 *   <li>an object whose {@code kdk.dev/applied-hash} annotation equals the hash of the desired object is skipped,
 *       so an unchanged re-run writes nothing (a change made by hand to such an object is not reverted).</li>
 * </ul>
 * After the first failure no further cluster is started; the {@link Report} says which clusters were applied,
 * which failed and which were not started. Re-running applies the rest.
 */
public final class Applier {
    /** One cluster and its desired objects (any order; applied in {@link KindOrder}). */
    public record ClusterObjects(String cluster, List<HasMetadata> objects) {
    }

    /** What happened to one cluster. {@code error} is null unless it failed; {@code started} false if skipped. */
    public record Result(String cluster, boolean started, int created, int updated, int unchanged,
            List<String> written, KdkException error) {
        public boolean ok() {
            return started && error == null;
        }
    }

    /** Results of one apply, in the order the clusters were given. */
    public record Report(List<Result> results) {
        public List<String> applied() {
            return results.stream().filter(Result::ok).map(Result::cluster).toList();
        }

        public List<String> failed() {
            return results.stream().filter(r -> r.error() != null).map(Result::cluster).toList();
        }

        public List<String> notStarted() {
            return results.stream().filter(r -> !r.started()).map(Result::cluster).toList();
        }

        /** Number of objects written (created or updated). */
        public int writes() {
            return results.stream().mapToInt(r -> r.created() + r.updated()).sum();
        }

        /**
         * Throws a KdkException when a cluster failed: the first failure's message, then one line saying which
         * clusters were applied and which were not.
         */
        public void throwIfFailed() {
            Result first = results.stream().filter(r -> r.error() != null).findFirst().orElse(null);
            if (first == null) {
                return;
            }
            List<String> notApplied = new ArrayList<>(failed());
            notApplied.addAll(notStarted());
            String summary = "applied: " + (applied().isEmpty() ? "none" : String.join(", ", applied()))
                    + "; not applied: " + String.join(", ", notApplied) + "; re-run to complete";
            throw new KdkException(first.cluster() + ": " + first.error().getMessage() + "\n" + summary,
                    first.error().exitCode(), first.error());
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String release;
    private final ApiErrors errors;

    /** Take over objects owned by something else, and force server-side apply conflicts. */
    public boolean force;
    /** Server-side dry run ({@code dryRun=All}): the API server validates, nothing is stored. */
    public boolean dryRun;
    /** Clusters applied at once. */
    public int parallelism = 8;

    public Applier(KubernetesClient client, String namespace, String release) {
        this.client = client;
        this.namespace = namespace;
        this.release = release;
        this.errors = ApiErrors.of(client);
    }

    /** Applies every cluster's objects, updating {@code live} with what was written. Never throws for API errors. */
    public Report apply(List<ClusterObjects> clusters, LiveState live) {
        AtomicBoolean stop = new AtomicBoolean();
        int threads = Math.max(1, Math.min(parallelism, clusters.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kdk-apply");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (ClusterObjects c : clusters) {
                futures.add(pool.submit(() -> stop.get() ? new Result(c.cluster(), false, 0, 0, 0, List.of(), null)
                        : applyCluster(c, live, stop)));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> f : futures) {
                results.add(f.get());
            }
            return new Report(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KdkException("interrupted while applying", e);
        } catch (ExecutionException e) {
            throw new KdkException("apply failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private Result applyCluster(ClusterObjects c, LiveState live, AtomicBoolean stop) {
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        List<String> written = new ArrayList<>();
        try {
            for (HasMetadata desired : c.objects().stream()
                    .sorted(Comparator.comparingInt((HasMetadata o) -> KindOrder.rank(o.getKind()))).toList()) {
                String what = desired.getKind() + " " + desired.getMetadata().getName();
                String hash = stampHash(desired);
                HasMetadata current = live.get(desired.getKind(), desired.getMetadata().getName());
                if (current != null && !Labels.ownedBy(current, release) && !force) {
                    throw new KdkException(what + " in namespace " + namespace + " exists but is not managed by kdk"
                            + " release " + release + " (" + Labels.MANAGED_BY + "=" + Labels.get(current,
                                    Labels.MANAGED_BY) + ", " + Labels.INSTANCE + "=" + Labels.get(current,
                                            Labels.INSTANCE) + "); remove it, or pass --force to take it over");
                }
                if (current != null && Labels.ownedBy(current, release)
                        && hash.equals(Labels.annotation(current, Labels.APPLIED_HASH))) {
                    unchanged++;
                    continue;
                }
                HasMetadata result = errors.call(dryRun ? "apply (dry run)" : "apply", what + " in namespace "
                        + namespace, () -> serverSideApply(desired));
                written.add(what);
                if (current == null) {
                    created++;
                } else {
                    updated++;
                }
                if (!dryRun && result != null) {
                    live.put(result);
                }
            }
            return new Result(c.cluster(), true, created, updated, unchanged, written, null);
        } catch (KdkException e) {
            stop.set(true);
            return new Result(c.cluster(), true, created, updated, unchanged, written, e);
        } catch (KubernetesClientException e) {
            stop.set(true);
            return new Result(c.cluster(), true, created, updated, unchanged, written, errors.map("apply", c.cluster(), e));
        }
    }

    private HasMetadata serverSideApply(HasMetadata desired) {
        NamespaceableResource<HasMetadata> resource = client.resource(desired);
        var scoped = desired instanceof io.fabric8.kubernetes.api.model.Namespaced ? resource.inNamespace(namespace)
                : resource;
        var op = dryRun ? scoped.dryRun() : scoped;
        if (force) {
            return op.fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
        }
        return op.fieldManager(Labels.FIELD_MANAGER).serverSideApply();
    }

    /**
     * Computes the SHA-256 of {@code object} without its {@code kdk.dev/applied-hash} annotation, writes it into
     * that annotation and returns it (hex).
     */
    public static String stampHash(HasMetadata object) {
        Map<String, String> annotations = object.getMetadata().getAnnotations() == null ? new HashMap<>()
                : new java.util.LinkedHashMap<>(object.getMetadata().getAnnotations());
        annotations.remove(Labels.APPLIED_HASH);
        object.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
        String hash = sha256(Serialization.asJson(object));
        annotations.put(Labels.APPLIED_HASH, hash);
        object.getMetadata().setAnnotations(annotations);
        return hash;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
