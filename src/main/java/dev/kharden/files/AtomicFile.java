package dev.kharden.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replaces a file's content all at once: writes a temporary file in the same directory, gives it the
 * permissions of the file it replaces (rw-r--r-- for a new file), then renames it over the target,
 * so a crash or a full disk never leaves a half-written report, a half-signed module or a truncated
 * certificate file behind. (Sealed bundles have their own streaming writer, mode 0600: see
 * {@code dev.kharden.seal.Sealer}.)
 */
public final class AtomicFile {
    public static void write(Path target, byte[] data) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, data);
            if (Files.exists(abs)) {
                try {
                    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(abs);
                    Files.setPosixFilePermissions(tmp, perms);
                } catch (UnsupportedOperationException e) {
                    // Not a POSIX file system: keep the default permissions.
                }
            } else {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private AtomicFile() {
    }
}
