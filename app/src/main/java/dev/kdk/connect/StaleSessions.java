package dev.kdk.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Session directories ({@code kdk-connect-*} under the temp root) record the PID and start time of the kdk that
 * owns them in file {@code owner}. A directory whose owner is gone (killed with SIGKILL, machine crash) is removed
 * by the next {@code kdk connect}; the start time guards against a reused PID.
 */
public final class StaleSessions {
    /** Prefix of session directory names. */
    public static final String PREFIX = "kdk-connect-";
    /** Name of the file recording the owning process. */
    public static final String OWNER_FILE = "owner";

    /** A directory without an owner file is left alone this long: its kdk may be writing it right now. */
    private static final Duration GRACE = Duration.ofMinutes(1);

    private final Path root;

    /** @param root the temp root, normally {@code java.io.tmpdir} */
    public StaleSessions(Path root) {
        this.root = root;
    }

    /** The owner line for this process: {@code "<pid> <start instant>"}. */
    public static String currentOwner() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + " " + self.info().startInstant().map(Instant::toString).orElse("-");
    }

    /**
     * Deletes every session directory of this user whose owner process is no longer running; returns the deleted
     * paths. Never throws: a directory that cannot be read or deleted is skipped.
     */
    public List<Path> sweep() {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (isStale(dir)) {
                    try {
                        dev.kdk.pki.SecureFiles.deleteRecursively(dir);
                        removed.add(dir);
                    } catch (RuntimeException e) {
                        // someone else's, or in use: leave it
                    }
                }
            }
        } catch (IOException e) {
            // unreadable temp root: nothing to sweep
        }
        return removed;
    }

    private static boolean isStale(Path dir) {
        try {
            if (!Files.isDirectory(dir) || !Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
                return false;
            }
            Path owner = dir.resolve(OWNER_FILE);
            if (!Files.exists(owner)) {
                FileTime modified = Files.getLastModifiedTime(dir);
                return modified.toInstant().isBefore(Instant.now().minus(GRACE));
            }
            String[] fields = Files.readString(owner, StandardCharsets.UTF_8).trim().split("\\s+");
            long pid = Long.parseLong(fields[0]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (process.isEmpty()) {
                return true;
            }
            String started = process.get().info().startInstant().map(Instant::toString).orElse("-");
            return fields.length > 1 && !"-".equals(fields[1]) && !"-".equals(started) && !fields[1].equals(started);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
