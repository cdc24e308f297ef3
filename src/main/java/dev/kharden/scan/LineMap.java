package dev.kharden.scan;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The one job: turn the parser's UTF-8 byte offsets into 1-based lines and 1-based columns counted
 * in UTF-16 code units (SARIF's default), decoding each line's prefix, so a non-ASCII comment or an
 * invalid byte before a call never shifts what is reported (a malformed byte counts as one unit).
 */
public final class LineMap {
    private final byte[] bytes;
    private final int[] starts;

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
    }

    /** 1-based line of the byte at {@code offset}. */
    public int line(int offset) {
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    /** 1-based UTF-16 column of the byte at {@code offset}. */
    public int column(int offset) {
        int start = starts[line(offset) - 1];
        return decode(start, Math.min(offset, bytes.length)).length() + 1;
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
