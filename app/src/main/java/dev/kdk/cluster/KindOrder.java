package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.List;

/**
 * Helm's install order of kinds (pkg/release/util/kind_sorter.go): what others reference goes first
 * (Namespace, NetworkPolicy, ServiceAccount, Secret, ConfigMap, RBAC, Service), workloads last. Unknown kinds go
 * after every known one. Uninstall uses the reverse.
 */
public final class KindOrder {
    static final List<String> INSTALL = List.of("PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota",
            "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
            "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
            "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList",
            "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
            "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
            "APIService");

    private KindOrder() {
    }

    /** Rank of {@code kind} in install order; unknown kinds rank last. */
    public static int rank(String kind) {
        int i = INSTALL.indexOf(kind);
        return i < 0 ? INSTALL.size() : i;
    }

    /** Orders objects for install: by kind rank, then (stable) as given. */
    public static final Comparator<HasMetadata> INSTALL_ORDER = Comparator.comparingInt(o -> rank(o.getKind()));

    /** A sorted copy of {@code objects} in install order. */
    public static List<HasMetadata> sorted(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> (HasMetadata) o).sorted(INSTALL_ORDER).toList();
    }
}
