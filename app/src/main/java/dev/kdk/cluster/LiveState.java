package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What exists in the release namespace, read with one list request per kind (not one get per object), so that
 * ownership checks and "is it already applied?" cost nothing per object. Keyed by kind and name.
 */
public final class LiveState {
    /** The namespaced kinds kdk renders (and therefore lists). */
    public static final List<Class<? extends HasMetadata>> KINDS = List.of(NetworkPolicy.class, ServiceAccount.class,
            Secret.class, ConfigMap.class, Role.class, RoleBinding.class, Service.class, StatefulSet.class);

    private final Map<String, HasMetadata> objects = new ConcurrentHashMap<>();

    private LiveState() {
    }

    /** An empty state: nothing exists (used for {@code --dry-run=client}). */
    public static LiveState empty() {
        return new LiveState();
    }

    /**
     * Lists every object of {@link #KINDS} in {@code namespace}; throws KdkException (via {@code errors}) when the
     * API refuses, e.g. "forbidden: cannot list secrets in namespace NS".
     */
    public static LiveState load(KubernetesClient client, String namespace, ApiErrors errors) {
        LiveState state = new LiveState();
        for (Class<? extends HasMetadata> kind : KINDS) {
            List<? extends HasMetadata> items = errors.call("list", plural(kind) + " in namespace " + namespace,
                    () -> client.resources(kind).inNamespace(namespace).list().getItems());
            items.forEach(state::put);
        }
        return state;
    }

    static String plural(Class<? extends HasMetadata> kind) {
        return HasMetadata.getPlural(kind);
    }

    static String key(String kind, String name) {
        return kind + "/" + name;
    }

    void put(HasMetadata object) {
        objects.put(key(object.getKind(), object.getMetadata().getName()), object);
    }

    void remove(String kind, String name) {
        objects.remove(key(kind, name));
    }

    /** The live object of {@code kind} (e.g. "Secret") named {@code name}, or null. */
    public HasMetadata get(String kind, String name) {
        return objects.get(key(kind, name));
    }

    /** The live Secret {@code name}, or null. */
    public Secret secret(String name) {
        return (Secret) get("Secret", name);
    }

    /** Every live object labelled as part of {@code release}, grouped by their {@code kdk.dev/cluster} label. */
    public Map<String, List<HasMetadata>> byCluster(String release) {
        Map<String, List<HasMetadata>> result = new HashMap<>();
        objects.values().stream().filter(o -> Labels.ownedBy(o, release) && Labels.get(o, Labels.CLUSTER) != null)
                .forEach(o -> result.computeIfAbsent(Labels.get(o, Labels.CLUSTER), k -> new java.util.ArrayList<>())
                        .add(o));
        return result;
    }

    /** Names of the clusters with live objects in {@code release}. */
    public Set<String> clusters(String release) {
        return byCluster(release).keySet();
    }
}
