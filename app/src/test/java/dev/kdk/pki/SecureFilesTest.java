package dev.kdk.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kdk.KdkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecureFilesTest {
    @TempDir
    Path dir;

    @Test
    void privateDirectoryIsCreatedWithMode0700() throws IOException {
        Path parent = dir.resolve("missing/parent");

        Path created = SecureFiles.createPrivateDirectory(parent, "kdk-connect-");

        assertThat(created).isDirectory().hasParentRaw(parent);
        assertThat(created.getFileName().toString()).startsWith("kdk-connect-");
        assertThat(mode(created)).isEqualTo("rwx------");
        assertThat(SecureFiles.createPrivateDirectory(parent, "kdk-connect-")).isNotEqualTo(created);
    }

    @Test
    void privateFileIsWrittenWithMode0600AndReplacesAnOpenFile() throws IOException {
        Path file = dir.resolve("config");
        Files.writeString(file, "old content");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        SecureFiles.writePrivate(file, "apiVersion: v1\nkind: Config\n");

        assertThat(file).hasContent("apiVersion: v1\nkind: Config");
        assertThat(mode(file)).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void privateFileIsNeverVisibleWithWiderModeOrPartialContent() throws Exception {
        // A watcher polls the directory while files are written: every file it sees is 0600 and whole.
        Path file = dir.resolve("config");
        String content = "x".repeat(1 << 20);
        AtomicBoolean done = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path path : files.toList()) {
                        String mode = mode(path);
                        if (!mode.equals("gone")) { // a temporary file renamed between list and stat
                            seen.add(mode);
                        }
                        if (path.equals(file)) {
                            long size = Files.size(path);
                            if (size != content.length()) {
                                seen.add("partial " + size);
                            }
                        }
                    }
                } catch (IOException e) {
                    // a temporary file renamed away between list and stat
                }
            }
        });
        watcher.start();
        for (int i = 0; i < 20; i++) {
            SecureFiles.writePrivate(file, content);
        }
        done.set(true);
        watcher.join();

        assertThat(seen).isNotEmpty().containsOnly("rw-------");
    }

    @Test
    void writeErrorsNameTheFileButNotTheContent() {
        Path file = dir.resolve("no/such/dir/config");

        KdkException error = catchThrowableOfType(KdkException.class,
                () -> SecureFiles.writePrivate(file, "client-key-data: SECRETSECRET"));

        assertThat(error.getMessage()).startsWith("cannot write " + file).doesNotContain("SECRETSECRET");
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain("SECRETSECRET");
        }
    }

    @Test
    void deleteRecursivelyRemovesATreeButNotWhatALinkPointsTo() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Path tree = SecureFiles.createPrivateDirectory(dir, "kdk-");
        SecureFiles.writePrivate(tree.resolve("config"), "x");
        Files.createDirectories(tree.resolve("a/b"));
        Files.writeString(tree.resolve("a/b/c"), "c");
        Files.createSymbolicLink(tree.resolve("link"), outside);

        SecureFiles.deleteRecursively(tree);

        assertThat(tree).doesNotExist();
        assertThat(outside.resolve("keep")).hasContent("keep");
        SecureFiles.deleteRecursively(tree); // already gone: no error
    }

    @Test
    void deleteRecursivelyReportsWhatItCannotDelete() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root ignores directory modes");
        Path tree = SecureFiles.createPrivateDirectory(dir, "kdk-");
        Path locked = Files.createDirectory(tree.resolve("locked"));
        Files.writeString(locked.resolve("file"), "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-x------"));
        try {
            KdkException error = catchThrowableOfType(KdkException.class, () -> SecureFiles.deleteRecursively(tree));
            assertThat(error.getMessage()).startsWith("cannot delete " + tree).contains("locked");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            return "gone";
        }
    }
}
