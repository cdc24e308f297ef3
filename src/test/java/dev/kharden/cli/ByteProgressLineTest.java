package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The seal and unseal progress line: its text, its pacing, and silence when it should be silent. */
class ByteProgressLineTest {
    private final StringWriter text = new StringWriter();
    private final PrintWriter err = new PrintWriter(text);

    @Test
    void drawsSizesInMibOrGibAndErasesItselfAtTheEnd() {
        ByteProgressLine p = new ByteProgressLine(err, "sealing", true, 0);
        p.update(1L << 20, 4L << 20);
        assertThat(text.toString()).isEqualTo("\rsealing: 1.0 of 4.0 MiB (25%)\033[K");
        p.update(2L << 20, 4L << 20); // within 200 ms of the last: not redrawn
        assertThat(text.toString()).isEqualTo("\rsealing: 1.0 of 4.0 MiB (25%)\033[K");
        p.done();
        assertThat(text.toString()).endsWith("\r\033[K");

        text.getBuffer().setLength(0);
        ByteProgressLine g = new ByteProgressLine(err, "unsealing", true, 0);
        g.update(3L << 29, 4L << 30);
        assertThat(text.toString()).isEqualTo("\runsealing: 1.5 of 4.0 GiB (37%)\033[K");
    }

    @Test
    void saysNothingOffATerminalOrBeforeItsDelay() {
        ByteProgressLine off = new ByteProgressLine(err, "sealing", false, 0);
        off.update(1, 2);
        off.done();
        ByteProgressLine early = new ByteProgressLine(err, "sealing", true, 3_600_000_000_000L);
        early.update(1, 2);
        early.done();
        assertThat(text.toString()).isEmpty();
    }
}
