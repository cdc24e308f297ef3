package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output that is one of the run's own inputs (a key, a recipients file, a config in a folder of
 * configs) is a usage error, and the input keeps its bytes: each of these replaced its input before.
 */
class OutputsNeverOverwriteInputsTest {
    @TempDir
    Path tmp;

    private static void refused(CliRun r, Path input, byte[] before) throws Exception {
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("is also an input of this run; refusing to overwrite it");
        assertThat(Files.readAllBytes(input)).isEqualTo(before);
    }

    @Test
    void sealKeepsItsSigningKeyAndRecipientsFile() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path key = tmp.resolve("support.key");
        String recipient = CliRun.of("keygen", "-o", key.toString()).out().strip();
        Path signing = tmp.resolve("machine.pem");
        assertThat(CliRun.of("keygen", "--signing", "-o", signing.toString()).code()).isZero();
        byte[] signingBytes = Files.readAllBytes(signing);
        refused(CliRun.of("seal", "--root", root.toString(), "--to", recipient, "--sign-key", signing.toString(),
                "-o", signing.toString(), "--force"), signing, signingBytes);
        Path recipients = Files.writeString(tmp.resolve("recipients.txt"), recipient + "\n");
        byte[] recipientBytes = Files.readAllBytes(recipients);
        refused(CliRun.of("seal", "--root", root.toString(), "-R", recipients.toString(), "-o", recipients.toString(),
                "--force"), recipients, recipientBytes);
    }

    @Test
    void fixKeepsTheConfigItFixes() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path config = Files.writeString(out.resolve("kharden-hardening.config"), "CONFIG_X86_64=y\n# CONFIG_DEVMEM is not set\n");
        byte[] before = Files.readAllBytes(config);
        refused(CliRun.of("fix", "--config", config.toString(), "--out", out.toString()), config, before);
    }

    @Test
    void checkKeepsTheConfigsOfAFolder() throws Exception {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        Path a = Files.writeString(configs.resolve("a.config"), "CONFIG_X86_64=y\n");
        Files.writeString(configs.resolve("b.config"), "CONFIG_X86_64=y\n");
        refused(CliRun.of("check", "--config", configs.toString(), "-o", a.toString()), a, Files.readAllBytes(a));
        // a new file beside them is no input of this run
        assertThat(CliRun.of("check", "--config", configs.toString(), "-o", configs.resolve("report.txt").toString()).code())
                .isNotEqualTo(ExitCodes.USAGE);
    }

    /** A file where a folder is wanted, and an -o that would be ignored, are said so. */
    @Test
    void outputsOfTheWrongKindAreUsageErrors() throws Exception {
        Path config = Files.writeString(tmp.resolve("a.config"), "CONFIG_X86_64=y\n");
        Path file = Files.writeString(tmp.resolve("a-file"), "mine\n");
        CliRun fix = CliRun.of("fix", "--config", config.toString(), "--out", file.toString());
        assertThat(fix.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(fix.err()).contains("is a file, not a folder");
        assertThat(Files.readString(file)).isEqualTo("mine\n");
        Path key = tmp.resolve("k");
        assertThat(CliRun.of("keygen", "-o", key.toString()).code()).isZero();
        CliRun y = CliRun.of("keygen", "-y", key.toString(), "-o", tmp.resolve("out").toString());
        assertThat(y.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(y.err()).contains("-o has no use with it");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void scanRefusesOneFileForTheReportAndTheDiff() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.c"), "int f(void) { return 0; }\n");
        Path both = tmp.resolve("both.txt");
        CliRun r = CliRun.of("scan", "--no-progress", "-o", both.toString(), "--fix", both.toString(), src.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("-o and --fix name the same file");
        assertThat(Files.exists(both)).isFalse();
    }
}
