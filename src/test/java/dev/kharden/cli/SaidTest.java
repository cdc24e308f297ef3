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
    void printableEscapesTheSameWayButNeverCuts() {
        String long1 = "note: " + "y".repeat(Said.MAX * 3) + "\u001b[2J\u0085\ufffd";
        assertThat(Said.printable(long1)).isEqualTo("note: " + "y".repeat(Said.MAX * 3) + "\\x1b[2J\\x85\\xfd");
        assertThat(Said.printable(null)).isEmpty();
    }

    /** A file name the locale cannot encode, met after parsing, is a usage error with a way out, not an internal error. */
    @Test
    void aNameTheLocaleCannotEncodeIsAUsageError() {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.report(new java.nio.file.InvalidPathException("/tmp/caf\u00e9.log", "Malformed input"), new java.io.PrintWriter(err, true));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("/tmp/caf\u00e9.log: a file name with characters that the locale").contains("LANG=C.UTF-8")
                .doesNotContain("internal error");
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
