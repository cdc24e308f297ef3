package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
