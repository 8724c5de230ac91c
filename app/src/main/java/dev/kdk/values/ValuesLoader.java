package dev.kdk.values;

import dev.kdk.KdkException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Loads values as Helm does: the defaults ({@code values/values.yaml}, embedded in kdk), then each {@code -f}
 * file in order, then every {@code --set}, then every {@code --set-string}; validates the result.
 */
public final class ValuesLoader {
    /** Where the defaults are embedded (copied from {@code values/values.yaml} at build time). */
    public static final String DEFAULTS_RESOURCE = "/kdk/values/values.yaml";
    /** How the defaults are named in messages. */
    public static final String DEFAULTS_NAME = "values/values.yaml";

    private final InputStream stdin;

    public ValuesLoader() {
        this(System.in);
    }

    /** @param stdin what a values file named {@code -} reads */
    public ValuesLoader(InputStream stdin) {
        this.stdin = stdin;
    }

    /** The request: files ({@code -} for stdin), {@code --set} and {@code --set-string} arguments, release name. */
    public record Request(List<String> files, List<String> set, List<String> setString, String release) {
        public Request {
            files = files == null ? List.of() : List.copyOf(files);
            set = set == null ? List.of() : List.copyOf(set);
            setString = setString == null ? List.of() : List.copyOf(setString);
        }
    }

    /**
     * Loads, merges and validates.
     *
     * @return the release's values with one {@link ClusterValues} per cluster, sorted by name
     * @throws ValuesException with every problem found, each naming file, line, column and path (exit code 2)
     */
    @SuppressWarnings("unchecked")
    public ReleaseValues load(Request request) {
        ValuesTree merged = defaults();
        @SuppressWarnings("unchecked")
        Map<String, Object> defaultValues = (Map<String, Object>) ValuesTree.deepCopy(merged.root());
        List<Problem> problems = new ArrayList<>();
        for (String file : request.files()) {
            try {
                Coalesce.into(merged, ValuesParser.parse(file, read(file)));
            } catch (ValuesException e) {
                problems.addAll(e.problems());
            }
        }
        applySets(merged, request.set(), "--set", false, problems);
        applySets(merged, request.setString(), "--set-string", true, problems);
        if (!problems.isEmpty()) {
            throw new ValuesException(problems);
        }
        problems.addAll(new ValuesValidator(defaultValues).validate(merged, request.release()));
        if (!problems.isEmpty()) {
            throw new ValuesException(problems);
        }
        List<ClusterValues> clusters = new ArrayList<>();
        Object clusterMap = merged.root().get("clusters");
        if (clusterMap instanceof Map<?, ?> map) {
            new TreeMap<>((Map<String, Object>) map).forEach((name, entry) -> {
                Map<String, Object> e = (Map<String, Object>) entry;
                clusters.add(new ClusterValues(name, (String) e.get("email"),
                        ValuesValidator.effective(merged.root(), e)));
            });
        }
        return new ReleaseValues(request.release(), merged.root(), List.copyOf(clusters));
    }

    /** Applies each argument of one flag in order, naming the N-th in messages as {@code FLAG[N]}. */
    private static void applySets(ValuesTree tree, List<String> args, String flag, boolean forceString,
                                  List<Problem> problems) {
        for (int i = 0; i < args.size(); i++) {
            try {
                SetParser.applyInto(tree, args.get(i), flag + "[" + (i + 1) + "]", forceString);
            } catch (ValuesException e) {
                problems.addAll(e.problems());
            }
        }
    }

    /** The parsed defaults. */
    public static ValuesTree defaults() {
        return ValuesParser.parse(DEFAULTS_NAME, readDefaults());
    }

    private static String readDefaults() {
        try (InputStream in = ValuesLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("kdk is built without " + DEFAULTS_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String read(String file) {
        try {
            if (file.equals("-")) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new ValuesException(List.of(new Problem(new Location(file, 0, 0), "",
                    "no such values file; check the path given to -f")));
        } catch (IOException e) {
            throw new ValuesException(List.of(new Problem(new Location(file, 0, 0), "",
                    "cannot read values file: " + e.getMessage())));
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw new KdkException("cannot read values file " + file + ": " + e.getMessage(), KdkException.USAGE, e);
        }
    }

    /** SHA-256 (hex) of the values written as canonical YAML (keys sorted). */
    static String digest(Map<String, Object> values) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        String canonical = new Yaml(options).dump(sorted(values));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object sorted(Object node) {
        if (node instanceof Map<?, ?> m) {
            TreeMap<String, Object> out = new TreeMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, sorted(v)));
            return out;
        }
        if (node instanceof List<?> l) {
            return l.stream().map(ValuesLoader::sorted).toList();
        }
        return node;
    }
}
