package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support-side round trip: a machine seals its symbols and oops to support's key, and support
 * symbolizes the sealed oops straight from the bundle, with nothing decrypted to disk.
 */
class SymbolizeBundleTest {
    @Test
    void symbolizesTheSealedOopsWithTheBundlesOwnSymbols(@TempDir Path dir) throws Exception {
        Path root = FakeMachine.create(dir.resolve("root"), false);
        Path log = Files.writeString(dir.resolve("kern.log"), String.join("\n",
                "[  100.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008",
                "[  100.000001] RIP: 0010:start_kernel+0x10/0x20",
                "[  100.000002] RAX: ffffffff81001010 RBX: ffffffffc0a00042 RCX: ffffffff81000008",
                "[  100.000003] Call Trace:",
                "[  100.000004]  <TASK>",
                "[  100.000005]  ext4_fill_super+0x42/0x100 [ext4]",
                "[  100.000006]  </TASK>",
                "[  100.000007] ---[ end trace 0000000000000000 ]---", ""));
        Path key = dir.resolve("support.key");
        CliRun keygen = CliRun.of("keygen", "-o", key.toString());
        assertThat(keygen.code()).as(keygen.err()).isZero();
        String recipient = keygen.out().lines().filter(l -> l.contains("age1")).findFirst().orElseThrow()
                .replaceAll(".*(age1[0-9a-z]+).*", "$1");
        Path bundle = dir.resolve("crash.age");
        CliRun seal = CliRun.of("seal", "--root", root.toString(), "--kernel-log", log.toString(), "--to", recipient,
                "-o", bundle.toString());
        assertThat(seal.code()).as(seal.err()).isZero();

        CliRun r = CliRun.of("symbolize", "--bundle", bundle.toString(), "-i", key.toString());
        assertThat(r.code()).as(r.err()).isIn(0, 1);
        assertThat(r.out()).contains("start_kernel+0x10").contains("ext4_fill_super+0x42").contains("_text+0x8");
        assertThat(r.err()).contains("symbols:");

        Path other = dir.resolve("other.key");
        CliRun.of("keygen", "-o", other.toString());
        CliRun wrong = CliRun.of("symbolize", "--bundle", bundle.toString(), "-i", other.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("no identity matches");
        assertThat(CliRun.of("symbolize", "--bundle", bundle.toString()).err()).contains("-i");
    }

    @Test
    void aBundleWithoutAReportAsksForTheLogInsteadOfWaitingOnStandardInput(@TempDir Path dir) throws Exception {
        Path root = FakeMachine.create(dir.resolve("root"), false);
        Files.delete(root.resolve("dev/kmsg"));
        Path key = dir.resolve("support.key");
        String recipient = CliRun.of("keygen", "-o", key.toString()).out().strip();
        Path bundle = dir.resolve("quiet.age");
        assertThat(CliRun.of("seal", "--root", root.toString(), "--to", recipient, "-o", bundle.toString()).code()).isZero();
        CliRun r = CliRun.of("symbolize", "--bundle", bundle.toString(), "-i", key.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("holds no oops, WARN or BUG report").contains("hint: name the log");
    }
}
