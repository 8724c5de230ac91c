package dev.kdk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code app/src/test/resources/golden/}. Run with {@code -Dkdk.updateGoldens=true} to
 * (re)write them from the actual output, then review the diff.
 */
public final class Golden {
    private Golden() {
    }

    static Path dir() {
        return Path.of(System.getProperty("kdk.repo.root", ".."), "app", "src", "test", "resources", "golden");
    }

    /** Asserts {@code actual} equals golden file {@code name} (or writes it when updating). */
    public static void assertMatches(String name, String actual) {
        Path file = dir().resolve(name);
        try {
            if (Boolean.getBoolean("kdk.updateGoldens")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual);
                return;
            }
            assertThat(file).as("golden file %s (create it with -Dkdk.updateGoldens=true)", file).exists();
            assertThat(actual).as("output vs golden file %s (update with -Dkdk.updateGoldens=true)", file)
                    .isEqualTo(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
