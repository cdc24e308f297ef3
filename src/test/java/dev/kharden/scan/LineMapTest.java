package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Byte offsets from the parser become lines and UTF-16 columns, whatever bytes come before. */
class LineMapTest {
    @Test
    void columnsCountCharactersNotBytes() {
        byte[] b = "/* é€😀 */ kmalloc(n);\nx".getBytes(StandardCharsets.UTF_8);
        LineMap m = new LineMap(b);
        int k = indexOf(b, "kmalloc");
        // é and € are one UTF-16 unit each, 😀 is two: "/* " 3 + 4 + " */ " 4 = column 12.
        assertThat(m.line(k)).isEqualTo(1);
        assertThat(m.column(k)).isEqualTo(12);
        assertThat(m.text(k, k + 7)).isEqualTo("kmalloc");
        assertThat(m.line(b.length - 1)).isEqualTo(2);
        assertThat(m.column(b.length - 1)).isEqualTo(1);
    }

    @Test
    void invalidBytesCountAsOneUnitEach() {
        byte[] b = {'a', (byte) 0xff, (byte) 0xfe, 'k', '\n', 'z'};
        LineMap m = new LineMap(b);
        assertThat(m.column(3)).isEqualTo(4);
        assertThat(m.text(0, 4)).isEqualTo("a\uFFFD\uFFFDk");
    }

    /** Each byte that is not part of a well-formed UTF-8 sequence is one unit, truncated sequences too. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "truncated 3-byte sequence, e2 82, 2",
        "truncated 4-byte sequence, f0 9f 98, 3",
        "encoded surrogate, ed a0 80, 3",
        "overlong NUL, c0 80, 2",
        "overlong 3-byte, e0 80 80, 3",
        "past U+10FFFF, f4 90 80 80, 4",
        "stray continuation bytes, 80 bf 80, 3",
        "a lead byte before ASCII, c3, 1",
        "valid 2-byte, c3 a9, 1",
        "valid 3-byte, e2 82 ac, 1",
        "valid 4-byte (two UTF-16 units), f0 9f 98 80, 2",
        "largest code point, f4 8f bf bf, 2",
        "valid after invalid, ff c3 a9 e2 82 ac, 3",
    })
    void unitsBeforeACall(String what, String hex, int units) {
        String[] parts = hex.split(" ");
        byte[] b = new byte[parts.length + 2];
        b[0] = '\n';
        for (int i = 0; i < parts.length; i++) {
            b[i + 1] = (byte) Integer.parseInt(parts[i], 16);
        }
        b[b.length - 1] = 'k';
        LineMap m = new LineMap(b);
        assertThat(m.line(b.length - 1)).isEqualTo(2);
        assertThat(m.column(b.length - 1)).as(what).isEqualTo(units + 1);
    }

    @Test
    void positionsOnALongLineInAnyOrder() {
        // One line of 20,000 calls, each after a two-byte é and a four-byte emoji (1 + 2 units).
        String call = "é😀kmalloc(n * 8, 0);";
        int units = call.length(); // UTF-16 units per repetition
        int bytes = call.getBytes(StandardCharsets.UTF_8).length;
        int n = 20_000;
        byte[] b = ("x\n" + call.repeat(n) + "\n").getBytes(StandardCharsets.UTF_8);
        LineMap m = new LineMap(b);
        int lineStart = 2;
        int first = lineStart + "é😀".getBytes(StandardCharsets.UTF_8).length;
        for (int i = n - 1; i >= 0; i -= 7) { // backwards, then forwards: order must not matter
            assertThat(m.column(first + i * bytes)).isEqualTo(i * units + 3 + 1);
            assertThat(m.line(first + i * bytes)).isEqualTo(2);
        }
        for (int i = 0; i < n; i++) {
            int k = first + i * bytes;
            assertThat(m.column(k)).isEqualTo(i * units + 3 + 1);
            assertThat(m.column(k + "kmalloc(n * 8, 0);".length())).isEqualTo((i + 1) * units + 1);
        }
        assertThat(m.column(b.length - 1)).as("the newline itself").isEqualTo(n * units + 1);
        assertThat(m.column(b.length)).as("the end of the file, on the empty last line").isEqualTo(1);
        assertThat(m.line(b.length)).isEqualTo(3);
    }

    /** The checkpoints change nothing: every offset of random text agrees with counting from its line's start. */
    @Test
    void checkpointsAgreeWithCountingFromTheLineStart() {
        java.util.Random r = new java.util.Random(42);
        byte[][] pieces = {"a".getBytes(StandardCharsets.UTF_8), "\n".getBytes(StandardCharsets.UTF_8),
            "é".getBytes(StandardCharsets.UTF_8), "€".getBytes(StandardCharsets.UTF_8), "😀".getBytes(StandardCharsets.UTF_8),
            {(byte) 0xe2, (byte) 0x82}, {(byte) 0xf0, (byte) 0x9f}, {(byte) 0x80}, {(byte) 0xff}};
        for (int round = 0; round < 20; round++) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            int length = r.nextInt(3 * LineMap.STEP * 4);
            while (out.size() < length) {
                // few newlines, so that lines span several checkpoints
                byte[] p = pieces[r.nextInt(pieces.length)];
                if (p[0] != '\n' || r.nextInt(20) == 0) {
                    out.writeBytes(p);
                }
            }
            byte[] b = out.toByteArray();
            LineMap m = new LineMap(b);
            int lineStart = 0;
            int line = 1;
            for (int k = 0; k <= b.length; k++) {
                int units = 0;
                for (int i = lineStart; i < k; ) {
                    int len = LineMap.sequence(b, i);
                    units += len == 4 ? 2 : 1;
                    i += len;
                }
                assertThat(m.line(k)).isEqualTo(line);
                assertThat(m.column(k)).as("offset %d of round %d", k, round).isEqualTo(units + 1);
                if (k < b.length && b[k] == '\n') {
                    lineStart = k + 1;
                    line++;
                }
            }
        }
    }

    @Test
    void aColumnInsideACharacterCountsThatCharacter() {
        byte[] b = "a€b".getBytes(StandardCharsets.UTF_8); // € is e2 82 ac
        LineMap m = new LineMap(b);
        assertThat(m.column(1)).isEqualTo(2);
        assertThat(m.column(2)).isEqualTo(3);
        assertThat(m.column(3)).isEqualTo(3);
        assertThat(m.column(4)).isEqualTo(3);
    }

    @Test
    void offsetsPastTheEndAreClamped() {
        LineMap m = new LineMap("ab".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.text(1, 99)).isEqualTo("b");
        assertThat(m.line(99)).isEqualTo(1);
    }

    static int indexOf(byte[] b, String s) {
        byte[] n = s.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + n.length <= b.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (b[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
