package dev.kharden.modsig;

import dev.kharden.files.BoundedRead;
import dev.kharden.input.InputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a whole input file that must stay under a size bound (a certificate, a key, a kernel image, a
 * module to sign), turning every failure into an {@link InputException} that names the file.
 */
public final class BoundedFile {
    /** Reads {@code path}; {@code kind} completes "not a ..." in the error for oversized files. */
    public static byte[] read(Path path, long max, String kind) {
        String name = path.toString();
        try {
            if (Files.isDirectory(path)) {
                throw InputException.ofFile(name, "is a directory, expected " + kind);
            }
            return BoundedRead.readAllBytes(path, max);
        } catch (BoundedRead.TooLarge e) {
            throw InputException.ofFile(name, "larger than " + (max >> 20) + " MiB; not " + kind);
        } catch (NoSuchFileException e) {
            throw InputException.ofFile(name, "no such file");
        } catch (AccessDeniedException e) {
            throw InputException.ofFile(name, "permission denied");
        } catch (IOException e) {
            throw InputException.ofFile(name, "cannot read: " + e.getMessage());
        }
    }

    private BoundedFile() {
    }
}
