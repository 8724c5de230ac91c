package dev.kdk.render;

import dev.kdk.KdkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes manifests as Helm does: multi-document YAML, each document headed by {@code # Source: <template>}. */
public final class ManifestWriter {
    private ManifestWriter() {
    }

    /** All manifests as one multi-document YAML stream, in the given order. */
    public static String toYaml(List<Manifest> manifests, String templatesName) {
        StringBuilder out = new StringBuilder();
        write(manifests, templatesName, out);
        return out.toString();
    }

    /**
     * Writes {@link #toYaml} to {@code out} piece by piece, such as standard output (a thousand clusters make
     * tens of megabytes, better not copied into one string first).
     *
     * @throws UncheckedIOException if {@code out} fails
     */
    public static void write(List<Manifest> manifests, String templatesName, Appendable out) {
        try {
            for (Manifest m : manifests) {
                out.append("---\n# Source: ").append(templatesName).append('/').append(m.template()).append('\n');
                out.append(m.text());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one file per cluster, {@code DIR/RELEASE-NAME.yaml}, each with mode 0600 (they hold private keys).
     *
     * @return the files written, in cluster order
     * @throws KdkException if the directory cannot be created or written
     */
    public static List<Path> toDirectory(Path dir, String release, List<Manifest> manifests, String templatesName) {
        Map<String, List<Manifest>> byCluster = new LinkedHashMap<>();
        for (Manifest m : manifests) {
            byCluster.computeIfAbsent(m.cluster(), k -> new java.util.ArrayList<>()).add(m);
        }
        try {
            Files.createDirectories(dir);
            List<Path> written = new java.util.ArrayList<>();
            for (Map.Entry<String, List<Manifest>> e : byCluster.entrySet()) {
                Path file = dir.resolve(Renderer.fullname(release, e.getKey()) + ".yaml");
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, toYaml(e.getValue(), templatesName));
                written.add(file);
            }
            return written;
        } catch (IOException | UncheckedIOException e) {
            throw new KdkException("cannot write manifests to " + dir + ": " + e.getMessage(), e);
        }
    }
}
