package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Utf8Writer writes exactly the bytes an OutputStreamWriter to UTF-8 writes, flush by flush. */
class Utf8WriterTest {
    /** ASCII, Latin-1, other BMP text, surrogate pairs, and now and then a lone surrogate. */
    private static String piece(Random rnd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(10) == 0 ? 70_000 + rnd.nextInt(10_000) : rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(12)) {
                case 0 -> b.append((char) (0x80 + rnd.nextInt(0x780)));
                case 1 -> b.append((char) (0x800 + rnd.nextInt(0xd000)));
                case 2 -> b.appendCodePoint(0x10000 + rnd.nextInt(0xfffff));
                case 3 -> b.append(rnd.nextBoolean() ? '\ud83d' : '\ude00'); // half a pair, maybe completed next
                default -> b.append((char) (0x20 + rnd.nextInt(0x5f)));
            }
        }
        return b.toString();
    }

    @Test
    void sameBytesAsAnOutputStreamWriterAtEveryFlush() throws IOException {
        Random rnd = new Random(19);
        for (int round = 0; round < 200; round++) {
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            ByteArrayOutputStream jdk = new ByteArrayOutputStream();
            Writer a = new Utf8Writer(ours);
            Writer b = new OutputStreamWriter(jdk, StandardCharsets.UTF_8);
            for (int step = rnd.nextInt(30); step > 0; step--) {
                String s = piece(rnd);
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        a.write(s);
                        b.write(s);
                    }
                    case 1 -> {
                        char[] c = s.toCharArray();
                        a.write(c, 0, c.length);
                        b.write(c, 0, c.length);
                    }
                    case 2 -> {
                        for (char c : s.toCharArray()) {
                            a.write(c);
                            b.write(c);
                        }
                    }
                    default -> {
                        a.flush();
                        b.flush();
                        assertThat(ours.toByteArray()).as("round %d after a flush", round).isEqualTo(jdk.toByteArray());
                    }
                }
            }
            a.close();
            b.close();
            assertThat(ours.toByteArray()).as("round %d", round).isEqualTo(jdk.toByteArray());
        }
    }

    @Test
    void aClosedWriterRefusesMore() throws IOException {
        Writer w = new Utf8Writer(new ByteArrayOutputStream());
        w.close();
        w.close(); // twice is fine
        w.write("late");
        assertThatThrownBy(w::flush).isInstanceOf(IOException.class);
    }
}
