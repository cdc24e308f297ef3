package dev.kharden.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a whole input that must stay under a bound, whatever its size says: a device or a pipe
 * ({@code /dev/zero}, {@code <(dmesg)}) says 0, and {@code Files.readAllBytes} then read until the
 * heap ran out. At most {@code max + 1} bytes are ever read.
 */
public final class BoundedRead {
    private BoundedRead() {
    }

    /** The input held more than the bound; callers say it in their own words. */
    public static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(Path path, long max) {
            super(path + " is larger than " + ByteSize.human(max));
        }
    }

    /** Every byte of {@code path}, at most {@code max} of them; {@link TooLarge} when there are more. */
    public static byte[] readAllBytes(Path path, long max) throws IOException {
        if (max < 0 || max >= Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bound " + max);
        }
        java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
        if (a.isRegularFile() && a.size() > max) {
            throw new TooLarge(path, max); // without reading it (one stat: procfs files say 0 and are read)
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes((int) max + 1);
            if (b.length > max) {
                throw new TooLarge(path, max);
            }
            return b;
        }
    }

    /**
     * The lines of {@code path}, at most {@code max} bytes of them, as {@code Files.readAllLines}
     * reads them: split at \n, \r\n and \r, and bytes {@code cs} cannot decode are a
     * {@link java.nio.charset.MalformedInputException}.
     */
    public static List<String> readAllLines(Path path, long max, Charset cs) throws IOException {
        byte[] b = readAllBytes(path, max);
        return cs.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(java.nio.ByteBuffer.wrap(b)).toString().lines().toList();
    }
}
