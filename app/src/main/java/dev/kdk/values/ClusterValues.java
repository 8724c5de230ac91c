package dev.kdk.values;

import java.util.Map;

/**
 * One developer's cluster after merging: the release-wide values with the cluster entry's overrides.
 *
 * @param name   the cluster name from {@code clusters:} (a DNS-1123 label), such as {@code testing1}
 * @param email  the owner's email (RBAC User, client certificate CN)
 * @param values the effective values (every key of values/values.yaml), read-only by convention
 */
public record ClusterValues(String name, String email, Map<String, Object> values) {

    /** The value at a dotted path such as {@code pki.caValidityDays}, or null. */
    public Object get(String dottedPath) {
        return ValuesValidator.at(values, dottedPath);
    }

    /** The whole number at a dotted path; throws IllegalStateException if it is missing (values are validated). */
    public long getLong(String dottedPath) {
        if (get(dottedPath) instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalStateException("validated values lack " + dottedPath);
    }
}
