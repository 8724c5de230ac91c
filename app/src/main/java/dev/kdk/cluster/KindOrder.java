package dev.kdk.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.List;

/** Sorting by Helm's kind order ({@link dev.kdk.render.KindOrder}, shared with the renderer). */
public final class KindOrder {
    private KindOrder() {
    }

    /** Rank of {@code kind} in install order; unknown kinds rank last. */
    public static int rank(String kind) {
        return dev.kdk.render.KindOrder.rank(kind);
    }

    /** Orders objects for install: by kind rank, then (stable) as given. */
    public static final Comparator<HasMetadata> INSTALL_ORDER = Comparator.comparingInt(o -> rank(o.getKind()));

    /** A sorted copy of {@code objects} in install order. */
    public static List<HasMetadata> sorted(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> (HasMetadata) o).sorted(INSTALL_ORDER).toList();
    }
}
