package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -} as an output is standard output where standard output can take it (keygen's key,
 * scan's report); where it cannot (a folder, a signed module), a usage error. Never a file or folder
 * named "-" in the current folder, which is where these runs would leave one.
 */
class DashOutputTest {
    @TempDir
    Path tmp;

    @AfterEach
    void noFileNamedDash() {
        assertThat(Files.exists(Path.of("-"))).as("a file named - in the current folder").isFalse();
    }

    @Test
    void keygenWritesTheKeyToStandardOutput() {
        CliRun r = CliRun.of("keygen", "-o", "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("AGE-SECRET-KEY-1");
    }

    @Test
    void scanWritesTheReportToStandardOutput() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.c"), "void *f(int n) { return kmalloc(n * 4, 0); }\n");
        CliRun r = CliRun.of("scan", "--no-progress", "--kernel-version", "6.1", "-o", "-", src.toString());
        assertThat(r.out()).contains("kmalloc_array");
    }

    /** A name the JVM got with an invalid byte made U+FFFD would be another file's: refused, never created. */
    @Test
    void aNameThatWasNotUtf8IsRefused() {
        Path bad = tmp.resolve("report\uFFFD.txt");
        CliRun r = CliRun.of("keygen", "-o", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not valid UTF-8");
        assertThat(Files.exists(bad)).isFalse();
    }

    /** Signing a pipe in place would send the module nowhere. */
    @Test
    void signingAPipeInPlaceIsRefused() throws Exception {
        Path fifo = tmp.resolve("m.ko");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo");
        CliRun r = CliRun.of("modsig", "sign", "--key", "k.pem", "--cert", "c.pem", fifo.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is not a regular file (a pipe or device)").contains("name OUT");
    }

    @Test
    void outputsThatCannotBeStandardOutputAreUsageErrors() {
        for (String[] args : new String[][] {
                {"unseal", "-i", "k", "b.age", "-o", "-"},
                {"fix", "--config", "a.config", "--out", "-"},
                {"docs", "--out", "-"},
                {"modsig", "sign", "--key", "k.pem", "--cert", "c.pem", "m.ko", "-"},
                {"modsig", "certs", "--der", "-o", "-", "vmlinuz"}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", args)).containsPattern("^kharden: (-o|--out|OUT|--output) -[: ]").contains("hint: ");
        }
    }
}
