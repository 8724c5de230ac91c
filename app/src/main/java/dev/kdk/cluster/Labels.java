package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;

/** The labels and annotations kdk puts on (and looks for on) every object it manages. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String CLUSTER = "kdk.dev/cluster";
    /** Annotation: the developer's email. */
    public static final String OWNER = "kdk.dev/owner";
    /** Annotation: SHA-256 (hex) of the desired object kdk last applied; equal hash means nothing to re-apply. */
    public static final String APPLIED_HASH = "kdk.dev/applied-hash";
    public static final String MANAGER = "kdk";
    /** The field manager kdk's server-side apply uses. */
    public static final String FIELD_MANAGER = "kdk";

    private Labels() {
    }

    /** Label selector for every object of {@code release}. */
    public static Map<String, String> release(String release) {
        return Map.of(INSTANCE, release, MANAGED_BY, MANAGER);
    }

    /** Label selector for the objects of cluster {@code cluster} in {@code release}. */
    public static Map<String, String> cluster(String release, String cluster) {
        return Map.of(INSTANCE, release, MANAGED_BY, MANAGER, CLUSTER, cluster);
    }

    /** The label {@code key} of {@code object}, or null. */
    public static String get(HasMetadata object, String key) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    /** The annotation {@code key} of {@code object}, or null. */
    public static String annotation(HasMetadata object, String key) {
        Map<String, String> annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** True when {@code object} is managed by kdk for {@code release}. */
    public static boolean ownedBy(HasMetadata object, String release) {
        return MANAGER.equals(get(object, MANAGED_BY)) && release.equals(get(object, INSTANCE));
    }
}
