package dev.kdk.connect;

import dev.kdk.KdkException;
import java.util.regex.Pattern;

/**
 * A developer cluster's name as the user typed it ({@code testing1} or {@code kdk-testing1}) within a release
 * ({@code kdk} by default), and the names of the host-cluster objects that belong to it ({@code RELEASE-NAME...}).
 */
public record ClusterName(String release, String name) {
    /** The release kdk uses when none is named. */
    public static final String DEFAULT_RELEASE = "kdk";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public ClusterName {
        if (name == null || !DNS_LABEL.matcher(name).matches() || (release + "-" + name).length() > 52) {
            throw new KdkException("invalid cluster name '" + name + "': use lower-case letters, digits and '-'"
                    + " (as in values.yaml `clusters`), e.g. testing1 or " + release + "-testing1",
                    KdkException.USAGE, null);
        }
    }

    /** {@link #parse(String, String)} in the default release. */
    public static ClusterName parse(String typed) {
        return parse(DEFAULT_RELEASE, typed);
    }

    /**
     * Parses what the user typed: {@code testing1} or {@code RELEASE-testing1} both name cluster {@code testing1}.
     * Throws KdkException (exit code 2) for a name that is not a DNS label.
     */
    public static ClusterName parse(String release, String typed) {
        String prefix = release + "-";
        String name = typed == null ? null : typed.trim();
        if (name != null && name.startsWith(prefix) && name.length() > prefix.length()) {
            name = name.substring(prefix.length());
        }
        return new ClusterName(release, name);
    }

    /** {@code RELEASE-NAME}: the StatefulSet, Service and kind cluster's context name. */
    public String resourceName() {
        return release + "-" + name;
    }

    /** {@code kdk-NAME-0}: the one pod of the StatefulSet. */
    public String podName() {
        return resourceName() + "-0";
    }

    /** {@code kdk-NAME-kubeconfig}: the Secret holding the developer's kubeconfig under key {@code config}. */
    public String kubeconfigSecretName() {
        return resourceName() + "-kubeconfig";
    }

    /** {@code kdk-NAME-user}: the Role that lets the developer read their Secret and forward to their pod. */
    public String userRoleName() {
        return resourceName() + "-user";
    }

    @Override
    public String toString() {
        return name;
    }
}
