package dev.kharden.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextSourceTest {
    private static TextSource of(String text) {
        return TextSource.fromBytes("t", text.getBytes(StandardCharsets.UTF_8), true);
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
    void exactKeepsEveryByteAndPlainReplacesWhatIsNotUtf8() {
        byte[] raw = {'a', (byte) 0xe9, (byte) 0xff, '\n'};
        String exact = TextSource.fromBytes("t", raw, true).text();
        java.io.ByteArrayOutputStream back = new java.io.ByteArrayOutputStream();
        ExactUtf8.encode(exact, back);
        assertThat(back.toByteArray()).isEqualTo(raw);
        assertThat(ExactUtf8.display(exact)).isEqualTo("a\ufffd\ufffd\n");
        assertThat(TextSource.fromBytes("t", raw).text()).isEqualTo("a\ufffd\ufffd\n");
    }

    @Test
    void lineEndsTakeTimeInProportionToTheText() {
        // one pass, not a search to the end of the text per line: 400,000 lines come back at once
        TextSource t = of("x\n".repeat(400_000));
        assertThat(t.lineEnds()).hasSize(400_000).allMatch("\n"::equals);
    }
}
