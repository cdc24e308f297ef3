package dev.kharden.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.cli.CliRun;
import dev.kharden.input.Warning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runtime state read from fixture /proc and /sys trees: decoded values, unknown with a reason, never a crash. */
class RuntimeCollectorTest {
    static Path write(Path root, String rel, String content) throws Exception {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    /** A locked-down, untainted x86 system with one vulnerable and one unknown-to-the-catalogue CPU flaw. */
    static Path hardenedTree(Path root) throws Exception {
        write(root, "sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
        write(root, "sys/kernel/security/lsm", "lockdown,capability,landlock,yama,apparmor\n");
        write(root, "sys/module/module/parameters/sig_enforce", "Y\n");
        write(root, "proc/sys/kernel/tainted", "0\n");
        write(root, "sys/devices/system/cpu/vulnerabilities/spectre_v2", "Mitigation: Retpolines; STIBP: disabled\n");
        write(root, "sys/devices/system/cpu/vulnerabilities/meltdown", "Not affected\n");
        write(root, "sys/devices/system/cpu/vulnerabilities/spec_rstack_overflow", "Vulnerable: Safe RET, no microcode\n");
        write(root, "sys/devices/system/cpu/vulnerabilities/itlb_multihit", "KVM: Mitigation: VMX disabled\n");
        write(root, "sys/devices/system/cpu/vulnerabilities/future_flaw", "Vulnerable\n");
        write(root, "proc/sys/kernel/osrelease", "6.12.0\n");
        write(root, "proc/sys/kernel/arch", "x86_64\n");
        write(root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro\n");
        return root;
    }

    @Test
    void decodesLockdownLsmsVulnerabilitiesAndSignatureEnforcement(@TempDir Path root) throws Exception {
        List<Warning> warnings = new ArrayList<>();
        Map<String, String> v = RuntimeCollector.collect(hardenedTree(root), Set.of("cpu.vulnerability.tsa"), warnings);
        assertThat(v).containsEntry("lockdown", "confidentiality")
                .containsEntry("lsm", "lockdown,capability,landlock,yama,apparmor")
                .containsEntry("module.sig_enforce", "Y")
                .containsEntry("cpu.vulnerability.spectre_v2", "mitigated")
                .containsEntry("cpu.vulnerability.meltdown", "not_affected")
                .containsEntry("cpu.vulnerability.spec_rstack_overflow", "vulnerable")
                .containsEntry("cpu.vulnerability.itlb_multihit", "mitigated")
                .containsEntry("cpu.vulnerability.spec_rstack_overflow.text", "Vulnerable: Safe RET, no microcode");
        assertThat(RuntimeValues.whyUnreadable(v.get("cpu.vulnerability.tsa")))
                .contains("vulnerabilities/tsa not present");
        assertThat(warnings).extracting(Warning::message).anyMatch(m -> m.contains("\"Vulnerable\"")
                && m.contains("no catalogue check"));
        assertThat(warnings).extracting(Warning::source).anyMatch(s -> s.endsWith("future_flaw"));
    }

    @Test
    void taintMaskIsDecodedBitByBit(@TempDir Path root) throws Exception {
        // 12288 = O (bit 12) + E (bit 13); 1L << 40 is a bit no kernel defines yet
        write(root, "proc/sys/kernel/tainted", (12288L | (1L << 40)) + "\n");
        Map<String, String> v = RuntimeCollector.collect(root, Set.of(), new ArrayList<>());
        assertThat(v).containsEntry("tainted.flags", "oot_module,unsigned_module,bit40")
                .containsEntry("tainted.unsigned_module", "1")
                .containsEntry("tainted.oot_module", "1")
                .containsEntry("tainted.die", "0");
        assertThat(Taint.letters(12288)).isEqualTo("OE");
        assertThat(Taint.names(1 | 128)).containsExactly("proprietary_module", "die");
    }

    @Test
    void missingGarbledAndUnreadableFilesGiveReasonsNotValues(@TempDir Path root) throws Exception {
        write(root, "sys/kernel/security/lockdown", "integrity\n"); // no brackets: not what the kernel writes
        write(root, "proc/sys/kernel/tainted", "lots\n");
        Path lsm = write(root, "sys/kernel/security/lsm", "yama\n");
        boolean denied = lsm.toFile().setReadable(false) && !Files.isReadable(lsm); // false when running as root
        Map<String, String> v = RuntimeCollector.collect(root, Set.of("no.such.key", "/sys/kernel/mm/thp"), new ArrayList<>());
        assertThat(RuntimeValues.whyUnreadable(v.get("lockdown"))).contains("no mode in brackets");
        assertThat(RuntimeValues.whyUnreadable(v.get("tainted"))).contains("not a number");
        assertThat(RuntimeValues.whyUnreadable(v.get("tainted.die"))).contains("not a number");
        assertThat(RuntimeValues.whyUnreadable(v.get("module.sig_enforce"))).contains("not present");
        assertThat(RuntimeValues.whyUnreadable(v.get("no.such.key"))).contains("does not know how to read");
        assertThat(RuntimeValues.whyUnreadable(v.get("/sys/kernel/mm/thp"))).contains("/sys/kernel/mm/thp not present");
        if (denied) {
            assertThat(RuntimeValues.whyUnreadable(v.get("lsm"))).contains("permission denied");
        }
    }

    @Test
    void checkOnAFixtureRootReportsRuntimeFindings(@TempDir Path root) throws Exception {
        hardenedTree(root);
        CliRun r = CliRun.of("check", "--root", root.toString(), "--profile", "kspp", "--format", "json");
        JsonNode findings = r.json().get("reports").get(0).get("findings");
        assertThat(verdict(findings, "runtime:lockdown")).isEqualTo("pass");
        assertThat(verdict(findings, "runtime:lsm#yama")).isEqualTo("pass");
        assertThat(verdict(findings, "runtime:lsm#mac")).isEqualTo("pass");
        assertThat(verdict(findings, "runtime:cpu.vulnerability.spec_rstack_overflow")).isEqualTo("fail");
        assertThat(verdict(findings, "runtime:cpu.vulnerability.spectre_v2")).isEqualTo("pass");
        assertThat(verdict(findings, "runtime:tainted.unsigned_module")).isEqualTo("pass");
        JsonNode tsa = find(findings, "runtime:cpu.vulnerability.tsa");
        assertThat(tsa.get("verdict").asText()).isEqualTo("unknown");
        assertThat(tsa.get("reason").asText()).contains("not present");
        assertThat(tsa.get("actual").isNull()).isTrue();

        // integrity is not enough for kspp, but enough for server; and lockdown enforces signatures
        write(root, "sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
        write(root, "sys/module/module/parameters/sig_enforce", "N\n");
        JsonNode kspp = CliRun.of("check", "--root", root.toString(), "--profile", "kspp", "--format", "json")
                .json().get("reports").get(0).get("findings");
        assertThat(verdict(kspp, "runtime:lockdown")).isEqualTo("fail");
        JsonNode server = CliRun.of("check", "--root", root.toString(), "--profile", "server", "--format", "json")
                .json().get("reports").get(0).get("findings");
        assertThat(verdict(server, "runtime:lockdown")).isEqualTo("pass");
        assertThat(verdict(server, "runtime:module.sig_enforce")).isEqualTo("pass");
    }

    @Test
    void emptyRootGivesUnknownRuntimeFindingsNotACrash(@TempDir Path root) {
        CliRun r = CliRun.of("check", "--root", root.toString(), "--arch", "x86_64", "--format", "json");
        JsonNode findings = r.json().get("reports").get(0).get("findings");
        assertThat(r.err()).doesNotContain("Exception");
        long runtime = 0;
        for (JsonNode f : findings) {
            if (f.get("type").asText().equals("runtime")) {
                runtime++;
                assertThat(f.get("verdict").asText()).as(f.get("id").asText()).isIn("unknown", "not_applicable");
            }
        }
        assertThat(runtime).isGreaterThan(10);
    }

    @Test
    void realMachineNeverCrashes() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/sys")), "no /proc: skipping");
        Map<String, String> v = RuntimeCollector.collect(Path.of("/"), Set.of(), new ArrayList<>());
        assertThat(v).containsKeys("lockdown", "lsm", "tainted", "module.sig_enforce");
    }

    static JsonNode find(JsonNode findings, String id) {
        for (JsonNode f : findings) {
            if (f.get("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id);
    }

    static String verdict(JsonNode findings, String id) {
        return find(findings, id).get("verdict").asText();
    }
}
