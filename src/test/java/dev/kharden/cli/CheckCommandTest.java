package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kharden check` end to end on the real catalogue: reports, profiles, live system, exit codes. */
class CheckCommandTest {
    static Path corpus() {
        Path k = Path.of(System.getProperty("kharden.shared", "../shared")).resolve("corpus/kconfig");
        Assumptions.assumeTrue(Files.isDirectory(k), k + " absent: skipping");
        return k;
    }

    @Test
    void jsonReportCarriesEveryDocumentedFindingField() {
        Path cfg = corpus().resolve("distros/Fedora_42_Updates_x86_64.config");
        CliRun r = CliRun.of("check", "--config", cfg.toString(), "--format", "json", "--profile", "kspp");
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode report = r.json().get("reports").get(0);
        assertThat(r.json().get("schema").asText()).isEqualTo("kharden-report/1");
        assertThat(report.get("arch").asText()).isEqualTo("x86_64");
        assertThat(report.get("kernelVersion").asText()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(report.get("profile").asText()).isEqualTo("kspp");
        JsonNode findings = report.get("findings");
        assertThat(findings.size()).isGreaterThan(300);
        for (JsonNode f : findings) {
            assertThat(f.fieldNames()).toIterable().contains("id", "type", "option", "desired", "actual", "verdict",
                    "reason", "bugClasses", "origin", "severity", "feature");
            assertThat(f.get("verdict").asText()).isIn("pass", "fail", "not_applicable", "unknown");
            assertThat(f.get("type").asText()).isIn("kconfig", "cmdline", "sysctl", "runtime");
            if (f.get("type").asText().equals("kconfig")) {
                assertThat(f.get("option").asText()).startsWith("CONFIG_");
            }
            assertThat(f.get("bugClasses").size()).isPositive();
        }
        long failed = 0;
        for (JsonNode f : findings) {
            failed += f.get("verdict").asText().equals("fail") ? 1 : 0;
        }
        assertThat(report.get("summary").get("fail").asLong()).isEqualTo(failed).isPositive();
    }

    @Test
    void strictProfileFailsMoreThanDeveloperOnTheSameConfig() {
        Path cfg = corpus().resolve("distros/Debian_13_Trixie_x86_64.config");
        long kspp = fails(CliRun.of("check", "--config", cfg.toString(), "--format", "json", "-p", "kspp"));
        long server = fails(CliRun.of("check", "--config", cfg.toString(), "--format", "json", "-p", "server"));
        long dev = fails(CliRun.of("check", "--config", cfg.toString(), "--format", "json", "-p", "developer"));
        assertThat(kspp).isGreaterThan(server);
        assertThat(server).isGreaterThanOrEqualTo(dev);
    }

    @Test
    void folderOfConfigsGivesOneReportEachInOneDocument() {
        Path dir = corpus().resolve("kspp-recommendations");
        CliRun r = CliRun.of("check", "--config", dir.toString(), "--format", "json");
        JsonNode reports = r.json().get("reports");
        assertThat(reports).hasSize(5);
        assertThat(reports.findValuesAsText("arch")).containsExactlyInAnyOrder("arm", "x86_64", "riscv", "arm64", "x86_32");
        assertThat(r.err()).contains("skipped 2 files");
    }

    @Test
    void textReportHasASummaryLineAndNoColourWhenNotATerminal() {
        Path cfg = corpus().resolve("defconfigs/x86_64_defconfig_6.17.config");
        CliRun r = CliRun.of("check", "--config", cfg.toString());
        assertThat(r.out()).contains("arch x86_64, kernel 6.17").contains(" pass, ").contains(" fail, ")
                .doesNotContain("\u001b[");
        assertThat(CliRun.of("check", "--config", cfg.toString(), "--color", "always").out()).contains("\u001b[31m");
    }

    @Test
    void bootParametersOverrideConfigDefaults() {
        Path cfg = corpus().resolve("defconfigs/x86_64_defconfig_6.17.config");
        JsonNode plain = CliRun.of("check", "--config", cfg.toString(), "--format", "json", "-p", "kspp").json();
        assertThat(verdict(plain, "kconfig:CONFIG_INIT_ON_ALLOC_DEFAULT_ON")).isEqualTo("fail");
        Path cl = Path.of("src/test/resources/dev/kharden/audit/fixture.cmdline");
        JsonNode withBoot = CliRun.of("check", "--config", cfg.toString(), "--cmdline", cl.toString(), "--format", "json",
                "-p", "kspp").json();
        assertThat(verdict(withBoot, "cmdline:init_on_alloc")).isEqualTo("pass");
        assertThat(verdict(withBoot, "kconfig:CONFIG_INIT_ON_ALLOC_DEFAULT_ON")).isEqualTo("pass");
    }

    @Test
    void auditsALiveSystemBelowARoot(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.createDirectories(root.resolve("proc/sys/vm"));
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-56-amd64\n");
        Files.writeString(root.resolve("proc/sys/kernel/kptr_restrict"), "1\n");
        Files.writeString(root.resolve("proc/sys/vm/mmap_min_addr"), "65536\n");
        Files.writeString(root.resolve("proc/cmdline"), "BOOT_IMAGE=/vmlinuz root=/dev/vda1 init_on_alloc=1\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(root.resolve("proc/config.gz")))) {
            out.write("# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_STACKPROTECTOR_STRONG=y\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        CliRun r = CliRun.of("check", "--root", root.toString(), "--format", "json", "-p", "kspp");
        JsonNode rep = r.json().get("reports").get(0);
        assertThat(rep.get("inputs").get("config").asText()).endsWith("proc/config.gz");
        assertThat(rep.get("kernelVersion").asText()).isEqualTo("6.1.0");
        assertThat(verdict(r.json(), "kconfig:CONFIG_STACKPROTECTOR_STRONG")).isEqualTo("pass");
        assertThat(verdict(r.json(), "sysctl:vm.mmap_min_addr")).isEqualTo("pass");
        assertThat(verdict(r.json(), "sysctl:kernel.kptr_restrict")).isEqualTo("fail");
        assertThat(verdict(r.json(), "cmdline:init_on_alloc")).isEqualTo("pass");
    }

    @Test
    void liveSystemWithoutConfigReportsKconfigChecksUnknown(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0\n");
        Files.writeString(root.resolve("proc/cmdline"), "quiet\n");
        CliRun r = CliRun.of("check", "--root", root.toString(), "--arch", "x86_64", "--format", "json");
        JsonNode rep = r.json().get("reports").get(0);
        assertThat(rep.get("warnings").toString()).contains("no kernel config found");
        assertThat(verdict(r.json(), "kconfig:CONFIG_STACKPROTECTOR_STRONG")).isEqualTo("unknown");
    }

    @Test
    void liveSystemWithNothingReadableIsAnInputErrorNotAPass(@TempDir Path root) throws Exception {
        CliRun text = CliRun.of("check", "--root", root.toString(), "--arch", "x86_64");
        assertThat(text.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(text.err()).contains("kharden: nothing on this system could be audited")
                .contains("no kernel config found");
        assertThat(text.out()).doesNotContain("OK");
        CliRun json = CliRun.of("check", "--root", root.toString(), "--arch", "x86_64", "--format", "json");
        assertThat(json.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(json.json().get("reports").get(0).get("error").asText()).startsWith("nothing on this system");
        // one readable input is enough for a verdict, and then the run is judged as usual
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cmdline"), "quiet init_on_alloc=1\n");
        CliRun some = CliRun.of("check", "--root", root.toString(), "--arch", "x86_64", "--format", "json");
        assertThat(some.code()).isNotEqualTo(ExitCodes.USAGE);
        assertThat(some.json().get("reports").get(0).get("error").isNull()).isTrue();
    }

    static String verdict(JsonNode doc, String id) {
        for (JsonNode f : doc.get("reports").get(0).get("findings")) {
            if (f.get("id").asText().equals(id)) {
                return f.get("verdict").asText();
            }
        }
        throw new AssertionError("no finding " + id);
    }

    static long fails(CliRun r) {
        return r.json().get("reports").get(0).get("summary").get("fail").asLong();
    }
}
