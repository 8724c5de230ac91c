package dev.kdk.cluster;

import dev.kdk.KdkException;
import dev.kdk.render.ChartTemplates;
import dev.kdk.render.FreshPki;
import dev.kdk.render.Manifest;
import dev.kdk.render.Renderer;
import dev.kdk.values.ClusterValues;
import dev.kdk.values.ReleaseValues;
import dev.kdk.values.ValuesLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code kdk install}: validate values, keep or create each cluster's PKI, render, server-side apply what changed,
 * record the release, report (or with {@link #prune}, delete) clusters removed from the values, and optionally wait.
 * Fields are the options; {@link #run()} does it. Nothing is written when the values are invalid (exit 2).
 */
public final class Install {
    /** {@code --dry-run}: none, client (render only, no cluster access), server (apply with dryRun=All). */
    public enum DryRun { none, client, server }

    /** What an install did. */
    public record Result(String release, String namespace, int revision, DryRun dryRun, boolean namespaceCreated,
            Applier.Report report, Map<String, String> pkiNotes, List<String> removed,
            List<ClusterDeleter.Result> pruned, List<Manifest> manifests) {
    }

    private final KubernetesClient client;
    private final String namespace;

    /** Values files, --set and --set-string, release name. */
    public ValuesLoader.Request values = new ValuesLoader.Request(List.of(), List.of(), List.of(), "kdk");
    /** Templates to render; the embedded ones by default. */
    public ChartTemplates templates;
    public boolean createNamespace;
    public DryRun dryRun = DryRun.none;
    /** Delete clusters that are installed but no longer in the values. */
    public boolean prune;
    /** With {@link #prune}: also delete their PVCs. */
    public boolean deleteData;
    /** Take over objects not managed by this release, and force server-side apply conflicts. */
    public boolean force;
    /** Re-issue the client certificates of these clusters (kdk rotate-certs). */
    public Set<String> rotate = Set.of();
    /** Apply only these clusters (all when empty); the others are neither applied nor reported as removed. */
    public Set<String> only = Set.of();
    /** Clusters applied at once. */
    public int parallelism = 8;
    public Clock clock = Clock.systemUTC();

    /** @param client the host cluster client (unused, may be null, for {@link DryRun#client}) */
    public Install(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /**
     * Runs the install. Throws ValuesException/TemplateException (exit 2) before touching the cluster; KdkException
     * for API failures (a failure half-way names the clusters applied and not applied; re-running completes them).
     */
    public Result run() {
        ReleaseValues release = new ValuesLoader().load(values);
        ReleaseValues selected = release.only(only);
        Renderer renderer = new Renderer(templates != null ? templates : ChartTemplates.embedded());
        Instant now = clock.instant();
        if (dryRun == DryRun.client) {
            List<Manifest> manifests = renderer.renderObjects(selected, namespace,
                    new FreshPki(release.release(), now));
            return new Result(release.release(), namespace, 0, dryRun, false, new Applier.Report(
                    group(selected, manifests).stream().map(c -> new Applier.Result(c.cluster(), true,
                            c.objects().size(), 0, 0, List.of(), null)).toList()),
                    Map.of(), List.of(), List.of(), manifests);
        }
        ApiErrors errors = ApiErrors.of(client);
        boolean namespaceCreated = ensureNamespace(errors);
        ReleaseStore store = new ReleaseStore(client, namespace);
        ReleaseRecord record = namespaceCreated ? ReleaseRecord.empty(release.release()) : store.load(release.release());
        LiveState live = namespaceCreated ? LiveState.empty() : LiveState.load(client, namespace, errors);

        InstallPki pki = new InstallPki(release.release(), namespace, live, now, rotate);
        List<Manifest> manifests = renderer.renderObjects(selected, namespace, pki);
        checkCasKept(manifests, live);

        Applier applier = new Applier(client, namespace, release.release());
        applier.force = force;
        applier.dryRun = dryRun == DryRun.server;
        applier.parallelism = parallelism;
        // A server-side dry run cannot apply into a namespace that was only created in a dry run.
        Applier.Report report = dryRun == DryRun.server && namespaceCreated
                ? new Applier.Report(group(selected, manifests).stream().map(c -> new Applier.Result(c.cluster(), true,
                        c.objects().size(), 0, 0, List.of(), null)).toList())
                : applier.apply(group(selected, manifests), live);

        Set<String> wanted = new TreeSet<>();
        release.clusters().forEach(c -> wanted.add(c.name()));
        Set<String> installed = new TreeSet<>(record.clusters().keySet());
        installed.addAll(live.clusters(release.release()));
        List<String> removed = installed.stream().filter(n -> !wanted.contains(n)).toList();

        List<ClusterDeleter.Result> pruned = new ArrayList<>();
        if (prune && dryRun == DryRun.none && report.failed().isEmpty()) {
            ClusterDeleter deleter = new ClusterDeleter(client, namespace, release.release());
            Map<String, List<HasMetadata>> byCluster = live.byCluster(release.release());
            for (String name : removed) {
                pruned.add(deleter.delete(name, byCluster.getOrDefault(name, List.of()), deleteData));
            }
        }
        int revision = record.revision();
        if (dryRun == DryRun.none && (record.revision() > 0 || !report.applied().isEmpty())) {
            Map<String, ReleaseRecord.Cluster> clusters = new LinkedHashMap<>(record.clusters());
            pruned.forEach(p -> clusters.remove(p.cluster()));
            for (String name : report.applied()) {
                ClusterValues c = release.cluster(name);
                clusters.put(name, new ReleaseRecord.Cluster(c.email(), now.toString()));
            }
            ReleaseRecord next = record.next(report.failed().isEmpty() ? "deployed" : "failed", release.digest(),
                    now.toString(), clusters);
            try {
                store.save(next);
            } catch (KdkException e) {
                report.throwIfFailed(); // the apply's failure is the one to report
                throw e;
            }
            revision = next.revision();
        }
        report.throwIfFailed();
        return new Result(release.release(), namespace, revision, dryRun, namespaceCreated, report, pki.notes(),
                removed, pruned, manifests);
    }

    /** Checks the namespace; creates it with --create-namespace. Returns true if it was (or would be) created. */
    private boolean ensureNamespace(ApiErrors errors) {
        Namespace ns;
        try {
            ns = client.namespaces().withName(namespace).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return false; // may not read namespaces: find out when applying into it
            }
            throw errors.map("get", "namespace " + namespace, e);
        }
        if (ns != null) {
            return false;
        }
        if (!createNamespace) {
            throw new KdkException("namespace " + namespace + " does not exist: create it, or pass --create-namespace");
        }
        Namespace desired = new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build();
        errors.call("create", "namespace " + namespace, () -> dryRun == DryRun.server
                ? client.resource(desired).dryRun().fieldManager(Labels.FIELD_MANAGER).serverSideApply()
                : client.resource(desired).fieldManager(Labels.FIELD_MANAGER).serverSideApply());
        return true;
    }

    /** Guards the promise that an existing CA is never replaced: the rendered CA Secret must equal the live one. */
    private static void checkCasKept(List<Manifest> manifests, LiveState live) {
        for (Manifest m : manifests) {
            if (m.object() instanceof Secret s && "kubernetes.io/tls".equals(s.getType())) {
                Secret current = live.secret(s.getMetadata().getName());
                if (current != null && current.getData() != null
                        && !Objects.equals(current.getData().get("tls.crt"), s.getData().get("tls.crt"))) {
                    throw new IllegalStateException("kdk would replace the CA in Secret "
                            + s.getMetadata().getName() + "; refusing");
                }
            }
        }
    }

    static List<Applier.ClusterObjects> group(ReleaseValues release, List<Manifest> manifests) {
        Map<String, List<HasMetadata>> byCluster = new LinkedHashMap<>();
        release.clusters().forEach(c -> byCluster.put(c.name(), new ArrayList<>()));
        for (Manifest m : manifests) {
            byCluster.computeIfAbsent(m.cluster(), k -> new ArrayList<>()).add(m.object());
        }
        List<Applier.ClusterObjects> out = new ArrayList<>();
        byCluster.forEach((k, v) -> out.add(new Applier.ClusterObjects(k, v)));
        return out;
    }
}
