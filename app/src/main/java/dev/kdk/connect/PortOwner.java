package dev.kdk.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Best-effort answer to "which process listens on local TCP port N?" on Linux: the listening socket's inode from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}, then the process whose {@code /proc/PID/fd} links to it.
 * Returns empty elsewhere, or when the owner belongs to another user (its fds are unreadable).
 */
public final class PortOwner {
    private static final String LISTEN = "0A";

    private final Path proc;

    public PortOwner() {
        this(Path.of("/proc"));
    }

    /** @param proc the procfs root, {@code /proc} outside tests */
    PortOwner(Path proc) {
        this.proc = proc;
    }

    /** E.g. {@code "PID 4242 (kubectl port-forward kdk-testing1-0 16443)"}, or empty if unknown. */
    public Optional<String> describe(int port) {
        try {
            Set<String> inodes = listeningInodes(port);
            if (inodes.isEmpty()) {
                return Optional.empty();
            }
            try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
                for (Path pid : pids) {
                    if (ownsOne(pid, inodes)) {
                        return Optional.of("PID " + pid.getFileName() + commandLine(pid).map(c -> " (" + c + ")").orElse(""));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort only
        }
        return Optional.empty();
    }

    private Set<String> listeningInodes(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = proc.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort) && LISTEN.equals(f[3]) && !"0".equals(f[9])) {
                    inodes.add(f[9]);
                }
            }
        }
        return inodes;
    }

    private static boolean ownsOne(Path pid, Set<String> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // fd closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process
        }
        return false;
    }

    private static Optional<String> commandLine(Path pid) {
        try {
            String cmd = new String(Files.readAllBytes(pid.resolve("cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
            if (cmd.length() > 120) {
                cmd = cmd.substring(0, 117) + "...";
            }
            return cmd.isEmpty() ? Optional.empty() : Optional.of(cmd);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
