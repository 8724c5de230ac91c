package dev.kdk.render;

import dev.kdk.KdkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart templates: every {@code *.yaml.j2} file of one directory, read once. Files starting with {@code _}
 * are partials (only included by others).
 */
public final class ChartTemplates {
    /** Where the templates of {@code chart-templates/} are embedded at build time. */
    public static final String EMBEDDED = "/kdk/chart-templates";
    private static final String SUFFIX = ".yaml.j2";

    private final String displayName;
    private final Map<String, String> files;
    private final List<String> shown;

    private ChartTemplates(String displayName, Map<String, String> files) {
        this(displayName, files, files.keySet().stream().filter(n -> !n.startsWith("_")).toList());
    }

    private ChartTemplates(String displayName, Map<String, String> files, List<String> shown) {
        this.displayName = displayName;
        this.files = files;
        this.shown = shown;
    }

    /**
     * The same templates, of which only {@code names} render (as Helm's {@code --show-only}); partials stay
     * available to {@code {% include %}}. An empty list selects every template.
     *
     * @param names template file names such as {@code statefulset.yaml.j2}, optionally with the directory in front
     *     ({@code chart-templates/statefulset.yaml.j2})
     * @throws KdkException (exit 2) naming a template that does not exist, or a partial
     */
    public ChartTemplates only(List<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        List<String> selected = new java.util.ArrayList<>();
        for (String given : names) {
            String name = given.substring(given.lastIndexOf('/') + 1);
            if (name.startsWith("_") && files.containsKey(name)) {
                throw new KdkException("template " + given + " is a partial: it renders only through {% include %}",
                        KdkException.USAGE, null);
            }
            if (!shown.contains(name)) {
                throw new KdkException("no template " + given + " in " + displayName + " (templates: "
                        + String.join(", ", shown) + ")", KdkException.USAGE, null);
            }
            if (!selected.contains(name)) {
                selected.add(name);
            }
        }
        return new ChartTemplates(displayName, files, shown.stream().filter(selected::contains).toList());
    }

    /** The templates embedded in kdk (a copy of the repository's {@code chart-templates/}). */
    public static ChartTemplates embedded() {
        URL url = ChartTemplates.class.getResource(EMBEDDED);
        if (url == null) {
            throw new IllegalStateException("kdk is built without its chart templates (" + EMBEDDED + ")");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return read("chart-templates", fs.getPath(EMBEDDED));
            }
            return read("chart-templates", Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read embedded chart templates", e);
        }
    }

    /**
     * The templates of {@code dir} ({@code --chart-templates}).
     *
     * @throws KdkException (exit 2) if the directory does not exist or holds no {@code *.yaml.j2}
     */
    public static ChartTemplates fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new KdkException("chart templates directory " + dir + " does not exist", KdkException.USAGE, null);
        }
        try {
            ChartTemplates t = read(dir.toString(), dir);
            if (t.templateNames().isEmpty()) {
                throw new KdkException("no *.yaml.j2 templates in " + dir, KdkException.USAGE, null);
            }
            return t;
        } catch (IOException e) {
            throw new KdkException("cannot read chart templates in " + dir + ": " + e.getMessage(), KdkException.USAGE, e);
        }
    }

    private static ChartTemplates read(String displayName, Path dir) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted(Comparator.comparing(Path::toString)).toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(SUFFIX) && Files.isRegularFile(p)) {
                    files.put(name, Files.readString(p));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new ChartTemplates(displayName, files);
    }

    /** How messages name the directory: {@code chart-templates} or the path given. */
    public String displayName() {
        return displayName;
    }

    /** Names of the templates to render (not partials; only those selected by {@link #only}), sorted. */
    public List<String> templateNames() {
        return shown;
    }

    /** The text of template or partial {@code name}, or null if there is none. */
    public String text(String name) {
        return files.get(name);
    }
}
