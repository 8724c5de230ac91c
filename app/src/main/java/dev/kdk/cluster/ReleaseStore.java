package dev.kdk.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kdk.KdkException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/** Reads and writes the {@link ReleaseRecord} ConfigMap {@code kdk.release.RELEASE} in the release namespace. */
public final class ReleaseStore {
    /** Data key holding the record as JSON. */
    public static final String KEY = "release.json";
    /** Label marking the record ConfigMap. */
    public static final String RECORD_LABEL = "kdk.dev/release-record";

    private final KubernetesClient client;
    private final String namespace;
    private final ApiErrors errors;

    public ReleaseStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.errors = ApiErrors.of(client);
    }

    /** The ConfigMap name for {@code release}. */
    public static String name(String release) {
        return "kdk.release." + release;
    }

    /**
     * The record of {@code release}, or {@link ReleaseRecord#empty} if there is none. Throws KdkException if the
     * ConfigMap exists but its {@code release.json} is not a record (naming the ConfigMap).
     */
    public ReleaseRecord load(String release) {
        ConfigMap cm = errors.call("get", "ConfigMap " + name(release) + " in namespace " + namespace,
                () -> client.configMaps().inNamespace(namespace).withName(name(release)).get());
        if (cm == null || cm.getData() == null || cm.getData().get(KEY) == null) {
            return ReleaseRecord.empty(release);
        }
        try {
            return Serialization.jsonMapper().readValue(cm.getData().get(KEY), ReleaseRecord.class);
        } catch (JsonProcessingException e) {
            throw new KdkException("ConfigMap " + namespace + "/" + name(release) + " key " + KEY
                    + " is not a kdk release record (" + e.getOriginalMessage() + "); delete it to start over");
        }
    }

    /** Writes {@code record} with server-side apply (field manager kdk). */
    public void save(ReleaseRecord record) {
        String json;
        try {
            json = Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(name(record.release()))
                .withNamespace(namespace)
                .withLabels(Map.of(Labels.INSTANCE, record.release(), Labels.MANAGED_BY, Labels.MANAGER,
                        Labels.NAME, "kdk", RECORD_LABEL, "true"))
                .endMetadata().addToData(KEY, json).build();
        errors.call("apply", "ConfigMap " + name(record.release()) + " in namespace " + namespace,
                () -> client.resource(cm).fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply());
    }

    /** Deletes the record of {@code release} (after the last cluster is uninstalled). */
    public void delete(String release) {
        errors.call("delete", "ConfigMap " + name(release) + " in namespace " + namespace,
                () -> client.configMaps().inNamespace(namespace).withName(name(release)).delete());
    }
}
