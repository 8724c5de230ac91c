package dev.kdk.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Session directories: private modes, owner record, removal on close and by the next run's sweep. */
class SessionFilesTest {
    @TempDir
    Path root;

    @Test
    void aSessionIsPrivateRecordsItsOwnerAndIsDeletedOnClose() throws IOException {
        Path dir;
        try (ConnectSession session = ConnectSession.open(root)) {
            dir = session.directory();
            session.writeKubeconfig("apiVersion: v1\n");
            assertThat(dir.getFileName().toString()).startsWith(StaleSessions.PREFIX);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(session.kubeconfig())))
                    .isEqualTo("rw-------");
            assertThat(Files.readString(dir.resolve(StaleSessions.OWNER_FILE)))
                    .startsWith(ProcessHandle.current().pid() + " ");
            assertThat(new StaleSessions(root).sweep()).as("a live session is kept").isEmpty();
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void theSweepRemovesSessionsOfDeadOrReplacedProcessesOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = session("dead", gone.pid() + " -");
        Path reused = session("reused", ProcessHandle.current().pid() + " 2001-01-01T00:00:00Z");
        Path live = session("live", StaleSessions.currentOwner());
        Path fresh = Files.createDirectory(root.resolve(StaleSessions.PREFIX + "being-created"));
        Path oldOwnerless = Files.createDirectory(root.resolve(StaleSessions.PREFIX + "ownerless"));
        Files.setLastModifiedTime(oldOwnerless, FileTime.from(Instant.now().minus(2, ChronoUnit.HOURS)));
        Path unrelated = Files.createDirectory(root.resolve("something-else"));

        assertThat(new StaleSessions(root).sweep()).containsExactlyInAnyOrder(dead, reused, oldOwnerless);
        assertThat(live).exists();
        assertThat(fresh).exists();
        assertThat(unrelated).exists();
    }

    private Path session(String name, String owner) throws IOException {
        Path dir = Files.createDirectory(root.resolve(StaleSessions.PREFIX + name));
        Files.writeString(dir.resolve(StaleSessions.OWNER_FILE), owner);
        Files.writeString(dir.resolve("config"), "x");
        return dir;
    }
}
