package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaidTest {
    @Test
    void controlBytesAreShownAndLongTextIsCut() {
        assertThat(Said.fit("bad line: a\u0000b\u001b[31mc\nd")).isEqualTo("bad line: a\\x00b\\x1b[31mc\\nd");
        String huge = "x".repeat(Said.MAX + 1000);
        assertThat(Said.fit("line: " + huge)).hasSize(Said.MAX + " more characters)".length() + "... (1006".length())
                .endsWith("... (1006 more characters)");
        assertThat(Said.fit("fine: ümlaut é")).isEqualTo("fine: ümlaut é");
    }

    @Test
    void aHugeBadWaiverLineIsNotEchoedWhole(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("a.config"), "CONFIG_X86_64=y\n");
        Path waivers = Files.writeString(dir.resolve("w.txt"), "\u0001" + "z".repeat(1 << 20));
        CliRun r = CliRun.of("check", "--config", config.toString(), "--waivers", waivers.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().length()).isLessThan(2000);
        assertThat(r.err()).doesNotContain("\u0001").contains("more characters)");
    }
}
