package dev.kharden.seal;

import dev.kharden.files.CreateFailure;
import dev.kharden.files.PrivateTemp;
import dev.kharden.input.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a secret (an identity, a signing key) the only acceptable way: mode 0600 from creation
 * (never world-readable for an instant), synced, and moved into place atomically without replacing
 * an existing key, which would destroy the only way to open bundles sealed to it.
 */
public final class PrivateFile {
    private PrivateFile() {
    }

    public static void write(Path target, byte[] content) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw InputException.ofFile(target.toString(), "already exists; refusing to overwrite a key");
        }
        Path tmp;
        try {
            tmp = PrivateTemp.create(abs.getParent(), PrivateTemp.prefixFor(abs), ".partial");
        } catch (IOException e) {
            throw InputException.ofFile(target.toString(), "cannot create it: " + CreateFailure.reason(abs.getParent(), e));
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            // A hard link fails if the target appeared meanwhile: no silent replacement of a key.
            Files.createLink(abs, tmp);
        } catch (FileAlreadyExistsException e) {
            throw InputException.ofFile(target.toString(), "already exists; refusing to overwrite a key");
        } catch (IOException e) {
            throw InputException.ofFile(target.toString(), "cannot write: " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary name is hidden and 0600
            }
        }
    }
}
