package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sizes print as %.1f would print them, in the largest unit they reach (seal prints without a Formatter). */
class ByteSizeTest {
    private static String expected(long n) {
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        if (n < 1024) {
            return n + " B";
        }
        int u = n < 1L << 20 ? 0 : n < 1L << 30 ? 1 : n < 1L << 40 ? 2 : 3;
        return new java.math.BigDecimal(n).divide(java.math.BigDecimal.valueOf(1L << (10 * (u + 1))))
                .setScale(1, java.math.RoundingMode.HALF_UP).toPlainString() + " " + units[u];
    }

    @Test
    void sizesPrintAsTheFormatterWould() {
        Random rnd = new Random(5);
        for (int i = 0; i < 40_000; i++) {
            long n = switch (i % 4) {
                case 0 -> rnd.nextInt(1 << 20);
                case 1 -> rnd.nextLong(1L << 44);
                case 2 -> rnd.nextLong(Long.MAX_VALUE);
                default -> (i / 4) * 1024L / 20 + (i % 2) * 51; // near the halves of KiB
            };
            assertThat(ByteSize.human(n)).as("%d", n).isEqualTo(expected(n));
        }
        assertThat(ByteSize.human(1023)).isEqualTo("1023 B");
        assertThat(ByteSize.human(1024)).isEqualTo("1.0 KiB");
        assertThat(ByteSize.human(268_640_000)).isEqualTo(String.format(Locale.ROOT, "%.1f MiB", 268_640_000 / 1048576.0));
        assertThat(ByteSize.human((1L << 30) - 1)).isEqualTo("1024.0 MiB");
        assertThat(ByteSize.human(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(ByteSize.human(Long.MAX_VALUE)).isEqualTo("8388608.0 TiB");
    }
}
