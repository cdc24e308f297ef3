package dev.kharden.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replaces a file's content all at once: writes a temporary file in the same directory, gives it the
 * permissions (and, where allowed, the owner) of the file it replaces (rw-r--r-- for a new file),
 * then renames it over the target, so a crash or a full disk never leaves a half-written report, a
 * half-signed module or a truncated certificate file behind. A symbolic link is followed: the file
 * it names is replaced and the link stays. A target that is not a regular file (/dev/null,
 * /dev/stdout, a named pipe) cannot be replaced and is written as it is. (Sealed bundles have their
 * own streaming writer, mode 0600: see {@code dev.kharden.seal.Sealer}.)
 */
public final class AtomicFile {
    private static final int MAX_LINKS = 40;

    public static void write(Path target, byte[] data) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(target.toString(), null, "is a folder");
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            // a device, a pipe or a socket: renaming over it would replace /dev/null with a file
            try (OutputStream out = Files.newOutputStream(abs, StandardOpenOption.WRITE)) {
                out.write(data);
            }
            return;
        }
        abs = followLinks(abs);
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, data);
            keepAttributes(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The file a chain of symbolic links ends at (possibly not existing yet); {@code p} itself when it is no link. */
    static Path followLinks(Path p) throws IOException {
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            p = p.getParent().resolve(Files.readSymbolicLink(p));
        }
        if (Files.isSymbolicLink(p)) {
            throw new FileSystemException(p.toString(), null, "too many levels of symbolic links");
        }
        return p;
    }

    /** The replaced file's mode, owner and group on the new one (rw-r--r-- for a new file). */
    private static void keepAttributes(Path target, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: keep the defaults
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            return;
        }
        PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class);
        view.setPermissions(old.permissions());
        try {
            if (!old.owner().equals(Files.getOwner(tmp))) {
                view.setOwner(old.owner());
            }
            view.setGroup(old.group());
        } catch (IOException e) {
            // only root may give a file away: the replaced file is then owned by whoever ran kharden
        }
    }

    private AtomicFile() {
    }
}
