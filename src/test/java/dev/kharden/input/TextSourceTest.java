package dev.kharden.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextSourceTest {
    private static TextSource of(String text) {
        return TextSource.fromBytes("t", text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
    }

    /** The lines and their ends, joined: the text itself. */
    private static String joined(TextSource t) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < t.lines().size(); i++) {
            sb.append(t.lines().get(i)).append(t.lineEnds().get(i));
        }
        return sb.toString();
    }

    @Test
    void lineEndsGiveTheTextBack() {
        for (String text : List.of("", "a", "a\n", "a\r\nb\rc\n", "a\n\n", "\r\n\r\n", "\n", "a\r", "x\r\r\ny",
                "caf\u00e9 \u00ff\r\nend")) {
            TextSource t = of(text);
            assertThat(t.lineEnds()).as(text).hasSameSizeAs(t.lines());
            assertThat(joined(t)).as(text).isEqualTo(text);
        }
        assertThat(of("a\r\nb\rc").lineEnds()).containsExactly("\r\n", "\r", "");
    }

    @Test
    void isoLatin1KeepsEveryByteAndUtf8ReplacesWhatIsNotUtf8() {
        byte[] raw = {'a', (byte) 0xe9, (byte) 0xff, '\n'};
        assertThat(TextSource.fromBytes("t", raw, StandardCharsets.ISO_8859_1).text().getBytes(StandardCharsets.ISO_8859_1))
                .isEqualTo(raw);
        assertThat(TextSource.fromBytes("t", raw).text()).isEqualTo("a\ufffd\ufffd\n");
    }
}
