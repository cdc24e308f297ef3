package dev.kharden.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kharden.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kharden diff`: gained and lost by bug class, from configs or JSON reports, exit 1 when anything is lost. */
class DiffTest {
    static final String BASE = "CONFIG_X86_64=y\nCONFIG_STACKPROTECTOR=y\nCONFIG_STACKPROTECTOR_STRONG=y\n";

    @Test
    void losingAnOptionIsLostUnderItsBugClassAndExitsOne(@TempDir Path dir) throws Exception {
        Path old = Files.writeString(dir.resolve("old.config"), BASE + "# CONFIG_DEVMEM is not set\n");
        Path now = Files.writeString(dir.resolve("new.config"), "CONFIG_X86_64=y\nCONFIG_DEVMEM=y\nCONFIG_STACKPROTECTOR=y\n"
                + "CONFIG_STACKPROTECTOR_STRONG=y\nCONFIG_SLAB_FREELIST_HARDENED=y\n");
        CliRun r = CliRun.of("diff", "--profile", "kspp", old.toString(), now.toString(), "--format", "json");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        JsonNode d = r.json();
        assertThat(d.get("schema").asText()).isEqualTo("kharden-diff/1");
        // CONFIG_DEVMEM off also satisfied STRICT_DEVMEM and IO_STRICT_DEVMEM: all three are lost
        assertThat(d.get("summary").get("lost").asInt()).isEqualTo(3);
        assertThat(d.get("summary").get("gained").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode lostGroup = null;
        for (JsonNode g : d.get("bugClasses")) {
            if (!g.get("lost").isEmpty()) {
                lostGroup = g;
            }
        }
        assertThat(lostGroup).isNotNull();
        assertThat(lostGroup.get("lost").get(0).get("option").asText()).isEqualTo("CONFIG_DEVMEM");
        assertThat(lostGroup.get("lost").get(0).get("before").asText()).isEqualTo("pass");
        assertThat(lostGroup.get("id").asText()).isEqualTo("BC22");

        CliRun back = CliRun.of("diff", "--profile", "kspp", now.toString(), old.toString(), "--color", "never");
        assertThat(back.code()).isEqualTo(1); // going back loses SLAB_FREELIST_HARDENED
        CliRun same = CliRun.of("diff", "--profile", "kspp", old.toString(), old.toString(), "--color", "never");
        assertThat(same.code()).isZero();
        assertThat(same.out()).contains("OK 0 gained, 0 lost");
    }

    @Test
    void jsonReportsAndConfigsMix(@TempDir Path dir) throws Exception {
        Path old = Files.writeString(dir.resolve("old.config"), BASE + "# CONFIG_DEVMEM is not set\n");
        Path now = Files.writeString(dir.resolve("new.config"), BASE + "CONFIG_DEVMEM=y\n");
        Path report = dir.resolve("old.json");
        CliRun check = CliRun.of("check", "--profile", "kspp", "--config", old.toString(), "--format", "json", "-o", report.toString());
        assertThat(check.code()).isEqualTo(1);
        CliRun r = CliRun.of("diff", "--profile", "kspp", report.toString(), now.toString(), "--color", "never");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("BC22").contains("- lost   CONFIG_DEVMEM").contains("0 gained, 3 lost");
        // a report judged under another profile is compared, with a warning
        CliRun mixed = CliRun.of("diff", "--profile", "server", report.toString(), now.toString());
        assertThat(mixed.err()).contains("warning: comparing profile kspp with profile server");
    }

    @Test
    void realDefconfigsAcrossVersions() {
        String shared = System.getProperty("kharden.shared");
        Assumptions.assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "corpus")), "../shared absent: skipping");
        Path d = Path.of(shared, "corpus", "kconfig", "defconfigs");
        CliRun r = CliRun.of("diff", d.resolve("x86_64_defconfig_5.0.config").toString(),
                d.resolve("x86_64_defconfig_6.17.config").toString(), "--format", "json");
        JsonNode s = r.json().get("summary");
        assertThat(s.get("gained").asInt()).isGreaterThan(s.get("lost").asInt());
        assertThat(r.code()).isEqualTo(s.get("lost").asInt() > 0 ? 1 : 0);
    }

    @Test
    void badInputsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.config"), BASE);
        Path notReport = Files.writeString(dir.resolve("x.json"), "{\"schema\": \"something/1\"}");
        Path broken = Files.writeString(dir.resolve("y.json"), "{\n\"schema\": \"kharden-report/1\",\n \"reports\": [");
        Path two = Files.writeString(dir.resolve("z.json"), "{\"schema\": \"kharden-report/1\", \"reports\": [{}, {}]}");
        String[][] cases = {
                {notReport.toString(), "not a kharden JSON report"},
                {broken.toString(), "y.json:3: not valid JSON"},
                {two.toString(), "exactly one entry"},
                {dir.resolve("missing.config").toString(), "missing.config: no such file"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("diff", ok.toString(), c[0]);
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.err()).as(c[0]).contains(c[1]).doesNotContain("Exception");
            assertThat(r.err().strip().lines().count()).isEqualTo(1);
        }
        assertThat(CliRun.of("diff", ok.toString()).code()).isEqualTo(2);
    }
}
