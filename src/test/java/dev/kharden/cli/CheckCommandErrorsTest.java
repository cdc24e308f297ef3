package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The error contract of `kharden check`: one line naming the file, exit 2, never a stack trace. */
class CheckCommandErrorsTest {
    static void noStackTrace(CliRun r) {
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void missingConfigIsOneLineAndExitTwo(@TempDir Path dir) {
        Path missing = dir.resolve("nope.config");
        CliRun r = CliRun.of("check", "--config", missing.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).isEqualTo("kharden: " + missing + ": no such file");
        noStackTrace(r);
    }

    @Test
    void theReportNeverOverwritesAnInput(@TempDir Path dir) throws Exception {
        String text = "CONFIG_X86_64=y\nCONFIG_MODULES=y\n";
        Path config = Files.writeString(dir.resolve("self.config"), text);
        Path waivers = Files.writeString(dir.resolve("waivers.txt"), "# none\n");
        for (Path target : new Path[] {config, waivers, dir.resolve("link.config")}) {
            if (!Files.exists(target)) {
                Files.createSymbolicLink(target, config); // the same file by another name
            }
            CliRun r = CliRun.of("check", "--config", config.toString(), "--waivers", waivers.toString(), "-o", target.toString());
            assertThat(r.code()).as(target.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("is also an input of this run");
        }
        assertThat(Files.readString(config)).isEqualTo(text);
        assertThat(Files.readString(waivers)).isEqualTo("# none\n");
        CliRun ok = CliRun.of("check", "--config", config.toString(), "-o", dir.resolve("report.txt").toString());
        assertThat(ok.code()).isNotEqualTo(ExitCodes.USAGE);
    }

    @Test
    void dashAsOutputIsStandardOutput(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("a.config"), "CONFIG_X86_64=y\n");
        java.nio.file.Path cwdDash = Path.of("-");
        boolean existed = Files.exists(cwdDash);
        CliRun r = CliRun.of("check", "--config", config.toString(), "--format", "json", "-o", "-");
        assertThat(r.json().get("schema").asText()).isEqualTo("kharden-report/1");
        assertThat(Files.exists(cwdDash)).isEqualTo(existed);
    }

    @Test
    void binaryAndEmptyConfigsAreNamed(@TempDir Path dir) throws Exception {
        Path bin = Files.write(dir.resolve("vmlinuz.config"), new byte[] {1, 2, 0, 3});
        CliRun r = CliRun.of("check", "--config", bin.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(bin + ": is a binary file");
        Path empty = Files.writeString(dir.resolve("empty.config"), "");
        assertThat(CliRun.of("check", "--config", empty.toString()).err()).contains("is empty");
    }

    @Test
    void batchGoesOnPastABadFileAndReportsIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.config"), "CONFIG_X86_64=y\nCONFIG_A=y\n");
        Files.writeString(dir.resolve("b.config"), "this is not a config\n");
        Files.writeString(dir.resolve("c.config"), "CONFIG_ARM64=y\n");
        Files.writeString(dir.resolve("notes.txt"), "ignored\n");
        CliRun r = CliRun.of("check", "--config", dir.toString(), "--format", "json");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        JsonNode reports = r.json().get("reports");
        assertThat(reports).hasSize(3);
        assertThat(reports.get(0).get("arch").asText()).isEqualTo("x86_64");
        assertThat(reports.get(1).get("error").asText()).contains("b.config").contains("no CONFIG_ options");
        assertThat(reports.get(2).get("arch").asText()).isEqualTo("arm64");
        assertThat(r.err()).contains("skipped 1 files").contains("b.config");
        noStackTrace(r);
    }

    @Test
    void unknownArchProfileAndVersionAreUsageErrorsWithHints(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("x.config"), "CONFIG_X86_64=y\n");
        CliRun arch = CliRun.of("check", "--config", cfg.toString(), "--arch", "sparc");
        assertThat(arch.code()).isEqualTo(2);
        assertThat(arch.err()).contains("unknown architecture 'sparc'").contains("hint: known: x86_64");
        CliRun profile = CliRun.of("check", "--config", cfg.toString(), "--profile", "paranoid");
        assertThat(profile.err()).contains("unknown profile 'paranoid'").contains("kspp");
        CliRun version = CliRun.of("check", "--config", cfg.toString(), "--kernel-version", "latest");
        assertThat(version.err()).contains("'latest' is not a kernel version");
        noStackTrace(arch);
    }

    @Test
    void configWithoutArchitectureAsksForArch(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("x.config"), "CONFIG_A=y\n");
        CliRun r = CliRun.of("check", "--config", cfg.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cannot tell the architecture").contains("--arch");
        assertThat(CliRun.of("check", "--config", cfg.toString(), "--arch", "riscv").code()).isNotEqualTo(2);
    }

    @Test
    void badCmdlineAndSysctlFilesNameTheirLine(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("x.config"), "CONFIG_X86_64=y\n");
        Path cl = Files.writeString(dir.resolve("cmdline"), "a=1\nb=2\n");
        CliRun r = CliRun.of("check", "--config", cfg.toString(), "--cmdline", cl.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("kharden: " + cl + ":2: a kernel command line is one line; found a second one");
    }

    @Test
    void outputFileIsWrittenWholeAndUnwritableFolderIsAnError(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("x.config"), "# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_X86_64=y\n");
        Path out = dir.resolve("report.json");
        CliRun r = CliRun.of("check", "--config", cfg.toString(), "--format", "json", "-o", out.toString());
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(out)).contains("\"schema\" : \"kharden-report/1\"").contains("\"kernelVersion\" : \"6.1.0\"");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        CliRun bad = CliRun.of("check", "--config", cfg.toString(), "-o", dir.resolve("no/such/dir/r.txt").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("does not exist");
    }

    @Test
    void aFolderThatRefusesNewFilesIsNamedNotTheTemporaryFile(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs procfs, which refuses new files");
        Path cfg = Files.writeString(dir.resolve("x.config"), "# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_X86_64=y\n");
        CliRun r = CliRun.of("check", "--config", cfg.toString(), "--format", "sarif", "-o", "/proc/kharden-test.sarif");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("kharden: cannot write /proc/kharden-test.sarif: cannot create files in folder /proc");
    }
}
