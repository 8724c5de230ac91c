package dev.kdk.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.TreeMap;

/**
 * What kdk knows it installed: stored as JSON under key {@code release.json} of ConfigMap
 * {@code kdk.release.RELEASE} in the release namespace (see {@link ReleaseStore}). A ConfigMap, not a Secret: it
 * holds no secret (names, emails, digests), and admins can read it with {@code kubectl get cm}. The dots make the
 * name impossible for a cluster's own objects ({@code kdk-NAME}, NAME a DNS label) to collide with.
 *
 * @param release the release name
 * @param revision 1 on first install, +1 on every install that writes the record
 * @param status "deployed", or "failed" when the last install stopped half-way
 * @param valuesDigest SHA-256 (hex) of the effective values of the last install
 * @param firstDeployed ISO-8601 UTC instant of the first install
 * @param lastDeployed ISO-8601 UTC instant of the last install
 * @param clusters every cluster kdk installed and has not uninstalled, by name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseRecord(String release, int revision, String status, String valuesDigest, String firstDeployed,
        String lastDeployed, Map<String, Cluster> clusters) {
    /**
     * @param email the owner's email when last applied
     * @param appliedAt ISO-8601 UTC instant of the last apply that wrote or confirmed this cluster's objects
     */
    public record Cluster(String email, String appliedAt) {
    }

    public ReleaseRecord {
        clusters = clusters == null ? new TreeMap<>() : new TreeMap<>(clusters);
    }

    /** An empty record for a release that was never installed. */
    public static ReleaseRecord empty(String release) {
        return new ReleaseRecord(release, 0, null, null, null, null, Map.of());
    }

    /** A copy with {@code clusters} replaced and revision/status/digest/timestamps advanced to {@code now}. */
    public ReleaseRecord next(String status, String valuesDigest, String now, Map<String, Cluster> clusters) {
        return new ReleaseRecord(release, revision + 1, status, valuesDigest, firstDeployed != null ? firstDeployed : now,
                now, clusters);
    }
}
