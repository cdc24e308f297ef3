package dev.kharden.files;

import dev.kharden.crypto.Randomness;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;

/**
 * A new empty file, mode 0600 from its creation, under a name nobody can guess beforehand, as
 * {@link Files#createTempFile(Path, String, String, FileAttribute[])} makes one, but named from
 * {@link Randomness}: the JDK names its temporary files with a SecureRandom, whose first use starts
 * the JDK's security providers (about 14 ms of CPU at the start of a seal).
 */
public final class PrivateTemp {
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** Names tried before giving up: each is 64 random bits, so a second try is already rare. */
    private static final int ATTEMPTS = 100;

    private PrivateTemp() {
    }

    /** Longest file name, in bytes, that a temporary name is still made from: names are at most 255 bytes. */
    static final int MAX_NAMED = 200;

    /**
     * The start of a temporary name beside {@code target}: ".NAME." (hidden, and saying whose it is),
     * or ".kharden." when NAME is so long that the temporary name would pass the 255-byte limit.
     */
    public static String prefixFor(Path target) {
        String name = target.getFileName().toString();
        return name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_NAMED ? "." + name + "." : ".kharden.";
    }

    /** Creates {@code dir/PREFIX<16 hex digits>SUFFIX}; fails as {@code Files.createTempFile} fails (no folder, no permission). */
    public static Path create(Path dir, String prefix, String suffix) throws IOException {
        byte[] r = new byte[8];
        for (int attempt = 1; ; attempt++) {
            Randomness.fill(r);
            Path p = dir.resolve(prefix + HexFormat.of().formatHex(r) + suffix);
            try {
                Files.newByteChannel(p, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY).close();
                return p;
            } catch (FileAlreadyExistsException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
