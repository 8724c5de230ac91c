package dev.kdk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code app/src/test/resources/golden/}. Run the tests with {@code -Dkdk.updateGoldens=true}
 * to rewrite them from the actual output (then review the diff).
 */
public final class Golden {
    private Golden() {
    }

    /** The repository root (set by surefire as {@code kdk.repo.root}; falls back to the working directory's parent). */
    public static Path repoRoot() {
        String root = System.getProperty("kdk.repo.root");
        if (root != null) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        Path cwd = Path.of("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("chart-templates")) ? cwd : cwd.getParent();
    }

    /** Asserts that {@code actual} equals golden file {@code name} (a path below golden/), or rewrites it. */
    public static void assertMatches(String name, String actual) {
        Path file = repoRoot().resolve("app/src/test/resources/golden").resolve(name);
        try {
            if (Boolean.getBoolean("kdk.updateGoldens") || !Files.exists(file) && Boolean.getBoolean("kdk.createGoldens")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            assertThat(file).as("golden file %s (run with -Dkdk.updateGoldens=true to create or update it)", name)
                    .exists();
            assertThat(actual).as("output differs from golden %s (-Dkdk.updateGoldens=true rewrites it)", name)
                    .isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
