package dev.kharden.input;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that gives back the very bytes it read: valid UTF-8 decodes as usual, and each byte that
 * is not part of valid UTF-8 becomes the lone low surrogate U+DC80–U+DCFF that stands for it (as
 * Python's "surrogateescape" does), which {@link #encode} turns back into that byte. A parser sees
 * the same letters, digits and spaces as in plain UTF-8, where such bytes become U+FFFD: neither a
 * lone surrogate nor U+FFFD is a letter, a digit or a space.
 */
public final class ExactUtf8 {
    private static final char ESCAPE = 0xDC00;

    private ExactUtf8() {
    }

    /** The text of {@code bytes}, with every byte that is not valid UTF-8 escaped. */
    public static String decode(byte[] bytes) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isUnderflow()) {
                break;
            }
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    out.put((char) (ESCAPE | (in.get() & 0xff)));
                }
            } else {
                throw new IllegalStateException("UTF-8 decoding overflowed a buffer of the input's size");
            }
        }
        d.flush(out);
        return out.flip().toString();
    }

    /** Whether {@code s.charAt(i)} stands for a byte that was not UTF-8 (a lone surrogate U+DC80–U+DCFF). */
    private static boolean escaped(CharSequence s, int i) {
        char c = s.charAt(i);
        return c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
    }

    /** Writes {@code s} as UTF-8, each escaped byte as the byte itself. */
    public static void encode(CharSequence s, ByteArrayOutputStream out) {
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (escaped(s, i)) {
                out.writeBytes(s.subSequence(start, i).toString().getBytes(StandardCharsets.UTF_8));
                out.write(s.charAt(i) & 0xff);
                start = i + 1;
            }
        }
        out.writeBytes(s.subSequence(start, s.length()).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code s} with each escaped byte shown as U+FFFD, as plain UTF-8 decoding would have it. */
    public static String display(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            if (escaped(s, i)) {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, '\ufffd');
            }
        }
        return sb == null ? s : sb.toString();
    }
}
