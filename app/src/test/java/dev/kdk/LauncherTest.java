package dev.kdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kdk.testing.Golden;
import dev.kdk.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/kdk} as users run it, on a copy of the repository's sources (no build output): it builds the app
 * with Maven on first use and when a source is newer than the jar, and not otherwise. Two real Maven builds, about a
 * minute on two cores.
 */
class LauncherTest {
    private static final Duration BUILD = Duration.ofMinutes(5);
    private static final String BUILDING = "kdk: building the app";

    @TempDir
    Path dir;

    @Test
    void buildsOnFirstUseThenOnlyAfterASourceChanges() {
        Path repo = copyOfSources(dir.resolve("repo"));

        Processes.Result first = version(repo);
        assertThat(first.stderr()).as(first.toString()).contains(BUILDING);
        assertThat(Files.isRegularFile(repo.resolve("app/target/kdk.jar"))).isTrue();
        assertThat(version(repo).stderr()).doesNotContain(BUILDING);

        // An edit to a pom that changes no class: Maven leaves the jar as it was, and the launcher must still
        // count that build as done (it once built again on every run).
        setModifiedNow(repo.resolve("pom.xml"));
        assertThat(version(repo).stderr()).contains(BUILDING);
        Processes.Result after = version(repo);
        assertThat(after.stderr()).as(after.toString()).doesNotContain(BUILDING);
    }

    /** Runs {@code scripts/kdk --version} in {@code repo}; asserts that it printed the version. */
    private static Processes.Result version(Path repo) {
        Processes.Result result = Processes.run(BUILD, Map.of(), List.of(repo.resolve("scripts/kdk").toString(),
                "--version"));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).as(result.toString()).startsWith("kdk ");
        return result;
    }

    /** What the launcher builds from: the poms, the app's main sources, chart templates, values and scripts. */
    private static Path copyOfSources(Path target) {
        Path root = Golden.repoRoot();
        for (String part : List.of("pom.xml", "app/pom.xml", "app/src/main", "chart-templates", "values", "scripts")) {
            copy(root.resolve(part), target.resolve(part));
        }
        return target;
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(file, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setModifiedNow(Path file) {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
