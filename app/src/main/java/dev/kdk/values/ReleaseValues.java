package dev.kdk.values;

import dev.kdk.KdkException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validated values for one release.
 *
 * @param release  the release name (prefix of every resource: {@code RELEASE-NAME})
 * @param values   the merged values tree (defaults, files, --set), including {@code clusters}
 * @param clusters one entry per cluster, sorted by name
 */
public record ReleaseValues(String release, Map<String, Object> values, List<ClusterValues> clusters) {

    /**
     * SHA-256 (hex) of the merged values (all clusters, whatever {@link #only} selected), to tell whether anything
     * changed since the last install. Computed on each call: only {@code kdk install} needs it.
     */
    public String digest() {
        return ValuesLoader.digest(values);
    }

    /**
     * This release narrowed to the clusters in {@code names} (all of them if empty), as {@code --cluster} asks.
     *
     * @throws KdkException (exit 2) naming the first unknown cluster and listing the ones the values have
     */
    public ReleaseValues only(Collection<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        for (String n : names) {
            if (cluster(n) == null) {
                throw new KdkException("no cluster `" + n + "` in the values; clusters: " + clusters.stream()
                        .map(ClusterValues::name).collect(Collectors.joining(", ")), KdkException.USAGE, null);
            }
        }
        return new ReleaseValues(release, values, clusters.stream().filter(c -> names.contains(c.name())).toList());
    }

    /** The cluster named {@code name}, or null. */
    public ClusterValues cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
