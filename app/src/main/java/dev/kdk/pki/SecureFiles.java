package dev.kdk.pki;

import dev.kdk.KdkException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold private keys and kubeconfigs: directories are created with mode 0700 and files with mode 0600
 * from the moment they exist (the mode is passed to the creating system call, so they are never readable by
 * others, even briefly; the umask can only remove bits). Needs a POSIX file system.
 */
public final class SecureFiles {
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private SecureFiles() {
    }

    /**
     * Creates a new directory {@code parent/<prefix><random>} with mode 0700. {@code parent} is created (with
     * default permissions) if missing.
     *
     * @return the new directory
     * @throws KdkException naming {@code parent} if it cannot be created (not writable, not a POSIX file system)
     */
    public static Path createPrivateDirectory(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, prefix, DIRECTORY_MODE);
        } catch (IOException | UnsupportedOperationException e) {
            throw new KdkException("cannot create a private directory in " + parent + ": " + describe(e), e);
        }
    }

    /**
     * Writes {@code content} (UTF-8) to {@code file} with mode 0600, replacing any existing file atomically: the
     * text goes to a 0600 temporary file in the same directory, is flushed to disk, then renamed over
     * {@code file}. Readers see the old file or the new one, never a partial one; an existing file's mode does
     * not carry over.
     *
     * @throws KdkException naming {@code file} on failure (the temporary file is removed); the message never
     *     contains {@code content}
     */
    public static void writePrivate(Path file, String content) {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(directory, "." + file.getFileName() + ".", ".tmp", FILE_MODE);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                    OutputStream out = Channels.newOutputStream(channel)) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
                out.flush();
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException | UnsupportedOperationException e) {
            throw new KdkException("cannot write " + file + ": " + describe(e), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort: the write already failed and that is what we report
                }
            }
        }
    }

    /**
     * Deletes {@code path} and, if it is a directory, everything below it. Symbolic links are deleted, never
     * followed. A missing path is not an error.
     *
     * @throws KdkException naming the path that could not be deleted
     */
    public static void deleteRecursively(Path path) {
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new KdkException("cannot delete " + path + ": " + describe(e), e);
        }
    }

    /** The exception's kind and the path it names, e.g. "permission denied (/x/y)"; IO messages name paths only. */
    private static String describe(Exception e) {
        if (e instanceof UnsupportedOperationException) {
            return "the file system does not support POSIX permissions";
        }
        if (e instanceof java.nio.file.AccessDeniedException denied) {
            return "permission denied (" + denied.getFile() + ")";
        }
        if (e instanceof java.nio.file.FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() + " (" + fs.getFile() + ")" : fs.getClass().getSimpleName()
                    + " (" + fs.getFile() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
