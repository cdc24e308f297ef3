package dev.kharden.scan;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one job: turn the parser's UTF-8 byte offsets into 1-based lines and 1-based columns counted
 * in UTF-16 code units (SARIF's default), so a non-ASCII comment or an invalid byte before a call
 * never shifts what is reported. A well-formed UTF-8 sequence is one unit, or two for a code point
 * above U+FFFF; every other byte (a stray continuation byte, an overlong form, an encoded surrogate,
 * a truncated sequence) is one unit by itself.
 *
 * <p>Linear in the file whatever the queries: one pass records where lines start and, every
 * {@value #STEP} bytes or so, how many units precede a character boundary; a column counts from the
 * nearest such checkpoint, so thousands of calls on one long line cost no more than on many lines.
 */
public final class LineMap {
    /** Bytes between checkpoints, at least. */
    static final int STEP = 64;

    private final byte[] bytes;
    private final int[] starts;
    /** Checkpoints: a character boundary, ascending, and the units of the whole file before it. */
    private final int[] marks;
    private final int[] unitsBefore;

    public LineMap(byte[] bytes) {
        this.bytes = bytes;
        int n = 1;
        for (byte b : bytes) {
            if (b == '\n') {
                n++;
            }
        }
        starts = new int[n];
        int k = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                starts[k++] = i + 1;
            }
        }
        int[] at = new int[bytes.length / STEP + 1];
        int[] units = new int[at.length];
        int count = 0;
        int total = 0;
        int next = 0;
        for (int i = 0; i < bytes.length; ) {
            if (i >= next) {
                at[count] = i;
                units[count++] = total;
                next = i + STEP;
            }
            int len = sequence(bytes, i);
            total += len == 4 ? 2 : 1;
            i += len;
        }
        marks = java.util.Arrays.copyOf(at, Math.max(count, 1));
        unitsBefore = java.util.Arrays.copyOf(units, Math.max(count, 1));
    }

    /** 1-based line of the byte at {@code offset}. */
    public int line(int offset) {
        return floor(starts, offset) + 1;
    }

    /**
     * 1-based UTF-16 column of the byte at {@code offset}; an offset inside a multi-byte character
     * counts that character as before it.
     */
    public int column(int offset) {
        int end = Math.min(offset, bytes.length);
        int start = starts[line(end) - 1];
        return unitsBefore(end) - unitsBefore(start) + 1;
    }

    /** UTF-16 units of the file before {@code offset} (a character that starts before it counts whole). */
    private int unitsBefore(int offset) {
        int m = floor(marks, offset);
        int total = unitsBefore[m];
        for (int i = marks[m]; i < offset; ) {
            int len = sequence(bytes, i);
            total += len == 4 ? 2 : 1;
            i += len;
        }
        return total;
    }

    /** The index of the last element of ascending {@code a} that is at most {@code value}, or 0. */
    private static int floor(int[] a, int value) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (a[mid] <= value) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i} (Unicode table 3-7: no overlong forms,
     * no surrogates, nothing above U+10FFFF), or 1 when the byte there starts none.
     */
    static int sequence(byte[] b, int i) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
            return 1;
        }
        int len;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            return 1;
        }
        if (i + len > b.length) {
            return 1;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
            return 1;
        }
        for (int k = 2; k < len; k++) {
            int cont = b[i + k] & 0xff;
            if (cont < 0x80 || cont > 0xbf) {
                return 1;
            }
        }
        return len;
    }

    /** The bytes [start, end) as text; malformed UTF-8 becomes U+FFFD. */
    public String text(int start, int end) {
        int s = Math.max(0, Math.min(start, bytes.length));
        int e = Math.max(s, Math.min(end, bytes.length));
        return decode(s, e);
    }

    private String decode(int start, int end) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer cb = d.decode(ByteBuffer.wrap(bytes, start, end - start));
            return cb.toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("REPLACE decoder cannot fail", e);
        }
    }

    public byte[] bytes() {
        return bytes;
    }
}
