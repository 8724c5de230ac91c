package dev.kdk.values;

import java.util.List;
import java.util.Map;

/**
 * Validated values for one release.
 *
 * @param release  the release name (prefix of every resource: {@code RELEASE-NAME})
 * @param values   the merged values tree (defaults, files, --set), including {@code clusters}
 * @param clusters one entry per cluster, sorted by name
 * @param digest   SHA-256 (hex) of the merged values, to tell whether anything changed since the last install
 */
public record ReleaseValues(String release, Map<String, Object> values, List<ClusterValues> clusters, String digest) {

    /** The cluster named {@code name}, or null. */
    public ClusterValues cluster(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }
}
