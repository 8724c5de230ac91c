package dev.kdk.render;

import java.util.List;

/** Helm's install order of kinds: what others depend on comes first. Unknown kinds go last. */
public final class KindOrder {
    private static final List<String> ORDER = List.of(
            "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodDisruptionBudget", "ServiceAccount",
            "Secret", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
            "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service",
            "DaemonSet", "Pod", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job",
            "CronJob", "Ingress");

    private KindOrder() {
    }

    /** Position of {@code kind} in apply order; uninstall uses the reverse. */
    public static int rank(String kind) {
        int i = ORDER.indexOf(kind);
        return i < 0 ? ORDER.size() : i;
    }
}
