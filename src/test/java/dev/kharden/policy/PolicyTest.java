package dev.kharden.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kharden.audit.Finding;
import dev.kharden.audit.Verdict;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.catalog.Check;
import dev.kharden.cli.CliRun;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --fail-on, --waivers and --rules on `kharden check`: what fails the run, what is waived, bad files named by line. */
class PolicyTest {
    /** An x86_64 config that fails kspp's CONFIG_DEVMEM check (high severity) and most others. */
    static Path config(Path dir) throws Exception {
        return Files.writeString(dir.resolve("x.config"), """
                CONFIG_X86_64=y
                CONFIG_DEVMEM=y
                CONFIG_STACKPROTECTOR_STRONG=y
                """);
    }

    static JsonNode finding(CliRun r, String id) {
        for (JsonNode f : r.json().get("reports").get(0).get("findings")) {
            if (f.get("id").asText().equals(id)) {
                return f;
            }
        }
        throw new AssertionError("no finding " + id + " in\n" + r.out());
    }

    @Test
    void failOnNoneAndSeverityChangeOnlyTheExitCode(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        assertThat(CliRun.of("check", "--profile", "kspp", "--config", cfg.toString()).code()).isEqualTo(1);
        assertThat(CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--fail-on", "none").code()).isEqualTo(0);
        CliRun r = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--fail-on", "high", "--format", "json");
        assertThat(r.code()).isEqualTo(1); // a minimal config fails high-severity checks too
    }

    @Test
    void failOnCountsOnlyFindingsMeetingEveryTerm() {
        Catalog catalog = CatalogLoader.load();
        Check high = pick(catalog, c -> c.severity() == Check.Severity.HIGH && !c.profiles().contains("developer"));
        Check low = pick(catalog, c -> c.severity() == Check.Severity.LOW && c.profiles().contains("developer"));
        List<String> profiles = List.copyOf(catalog.profiles().keySet());
        Finding highFail = finding(catalog, high, new Verdict.Fail("x"));
        Finding lowFail = finding(catalog, low, new Verdict.Fail("x"));
        Finding lowUnknown = finding(catalog, low, new Verdict.Unknown("x"));
        assertThat(FailOn.ANY.fails(highFail)).isTrue();
        assertThat(FailOn.ANY.fails(lowFail)).isTrue();
        assertThat(FailOn.ANY.fails(lowUnknown)).isFalse();
        assertThat(FailOn.parse("unknown", profiles).fails(lowUnknown)).isTrue();
        assertThat(FailOn.parse("high", profiles).fails(highFail)).isTrue();
        assertThat(FailOn.parse("high", profiles).fails(lowFail)).isFalse();
        assertThat(FailOn.parse("medium", profiles).fails(lowFail)).isFalse();
        assertThat(FailOn.parse("profile:developer", profiles).fails(highFail)).isFalse();
        assertThat(FailOn.parse("low, profile:developer", profiles).fails(lowFail)).isTrue();
        assertThat(FailOn.parse("none", profiles).fails(highFail)).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FailOn.parse("none,high", profiles))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be combined");
        assertThat(FailOn.ANY.fails(highFail.withWaiver(new Finding.Waiver("ok", null, "w:1")))).isFalse();
    }

    static Check pick(Catalog catalog, java.util.function.Predicate<Check> p) {
        return catalog.features().stream().flatMap(f -> f.checks().stream()).filter(p).findFirst().orElseThrow();
    }

    static Finding finding(Catalog catalog, Check c, Verdict v) {
        return new Finding(c, catalog.feature(c.featureId()).orElseThrow(), "y", null, v);
    }

    @Test
    void badFailOnIsAUsageError(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.of("check", "--profile", "kspp", "--config", config(dir).toString(), "--fail-on", "critical");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--fail-on: unknown term 'critical'");
        assertThat(CliRun.of("check", "--profile", "kspp", "--config", config(dir).toString(), "--fail-on", "profile:paranoid").err())
                .contains("unknown profile 'paranoid'");
    }

    @Test
    void waivedFindingsAreReportedAndDoNotFailTheRun(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("x.config"), "CONFIG_X86_64=y\nCONFIG_DEVMEM=y\n");
        CliRun before = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--format", "json", "--fail-on", "none");
        int fails = before.json().get("reports").get(0).get("summary").get("fail").asInt();
        StringBuilder all = new StringBuilder("# every failure of this toy config, waived\n");
        for (JsonNode f : before.json().get("reports").get(0).get("findings")) {
            if (f.get("verdict").asText().equals("fail")) {
                all.append(f.get("id").asText()).append("  2999-12-31  lab machine, rebuilt weekly\n");
            }
        }
        Path waivers = Files.writeString(dir.resolve("waivers.txt"), all.toString());
        CliRun r = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--format", "json", "--waivers", waivers.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        JsonNode summary = r.json().get("reports").get(0).get("summary");
        assertThat(summary.get("fail").asInt()).isZero();
        assertThat(summary.get("waived").asInt()).isEqualTo(fails);
        JsonNode devmem = finding(r, "kconfig:CONFIG_DEVMEM");
        assertThat(devmem.get("verdict").asText()).isEqualTo("fail");
        assertThat(devmem.get("waiver").get("reason").asText()).isEqualTo("lab machine, rebuilt weekly");
        assertThat(devmem.get("waiver").get("expires").asText()).isEqualTo("2999-12-31");
        assertThat(devmem.get("waiver").get("source").asText()).endsWith("waivers.txt:" + lineOf(all, "kconfig:CONFIG_DEVMEM"));
        CliRun text = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--waivers", waivers.toString());
        assertThat(text.out()).contains("WAIVED  CONFIG_DEVMEM").contains(fails + " waived");
    }

    static int lineOf(CharSequence text, String id) {
        String[] lines = text.toString().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(id + " ")) {
                return i + 1;
            }
        }
        throw new AssertionError(id);
    }

    @Test
    void optionAndFeatureNamesWaiveToo(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        Path waivers = Files.writeString(dir.resolve("w.txt"), "CONFIG_DEVMEM flashing tool needs it\n");
        CliRun r = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--format", "json", "--waivers", waivers.toString());
        JsonNode devmem = finding(r, "kconfig:CONFIG_DEVMEM");
        assertThat(devmem.get("waiver").get("reason").asText()).isEqualTo("flashing tool needs it");
        assertThat(devmem.get("waiver").get("expires").isNull()).isTrue();
        assertThat(r.code()).isEqualTo(1); // the other failures still fail
    }

    @Test
    void expiredWaiverFailsLoudlyNamingFileAndLineAndIsNotApplied(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        Path waivers = Files.writeString(dir.resolve("w.txt"), "# old\nCONFIG_DEVMEM 2020-01-31 until the BMC update\n");
        CliRun r = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--format", "json", "--fail-on", "none",
                "--waivers", waivers.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(waivers + ":2: waiver for CONFIG_DEVMEM expired on 2020-01-31");
        assertThat(finding(r, "kconfig:CONFIG_DEVMEM").get("waiver").isNull()).isTrue();
    }

    @Test
    void jsonWaiversWork(@TempDir Path dir) throws Exception {
        Path waivers = Files.writeString(dir.resolve("w.json"), """
                {"schema": "kharden-waivers/1", "waivers": [
                  {"id": "kconfig:CONFIG_DEVMEM", "reason": "BMC flasher", "expires": "2999-01-01"}
                ]}
                """);
        CliRun r = CliRun.of("check", "--profile", "kspp", "--config", config(dir).toString(), "--format", "json", "--waivers", waivers.toString());
        assertThat(finding(r, "kconfig:CONFIG_DEVMEM").get("waiver").get("source").asText()).endsWith("w.json:2");
    }

    @Test
    void badWaiverFilesAreOneLineNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        String[][] cases = {
                {"a.txt", "CONFIG_DEVMEM\n", ":1: waiver for 'CONFIG_DEVMEM' gives no reason"},
                {"b.txt", "# x\nCONFIG_NO_SUCH_THING because\n", ":2: waiver names 'CONFIG_NO_SUCH_THING', which is no check id"},
                {"c.txt", "CONFIG_DEVMEM 2024-02-30 bad date\n", ":1: '2024-02-30' is not a date"},
                {"c2.txt", "CONFIG_DEVMEM 99999-01-01 far away\n", ":1: '99999-01-01' is not a date"},
                {"d.json", "{\"schema\": \"kharden-waivers/1\", \"waivers\": [\n{\"id\": \"CONFIG_DEVMEM\"}]}", ":2: waiver for 'CONFIG_DEVMEM' gives no \"reason\""},
                {"e.json", "{\"schema\": \"kharden-waivers/1\",\n \"waivers\": [\n{\"id\": ", ":3: not valid JSON"},
                {"f.json", "{\"schema\": \"other\", \"waivers\": []}", ":1: \"schema\" must be \"kharden-waivers/1\""},
        };
        for (String[] c : cases) {
            Path w = Files.writeString(dir.resolve(c[0]), c[1]);
            CliRun r = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--waivers", w.toString());
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.err().strip()).as(c[0]).startsWith("kharden: " + w + c[2]).doesNotContain("\n").doesNotContain("Exception");
            assertThat(r.out()).as(c[0]).isEmpty();
        }
        CliRun missing = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--waivers", dir.resolve("none.txt").toString());
        assertThat(missing.err()).contains("none.txt: no such file");
    }

    @Test
    void waiverExpiryIsInclusive() {
        Waiver w = new Waiver("CONFIG_X", "why", LocalDate.of(2030, 1, 31), "w.txt", 1);
        assertThat(w.expiredOn(LocalDate.of(2030, 1, 31))).isFalse();
        assertThat(w.expiredOn(LocalDate.of(2030, 2, 1))).isTrue();
    }

    @Test
    void rulesAddChecksAndOverrideExpectationsById(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("x.config"), "CONFIG_X86_64=y\nCONFIG_DEVMEM=y\nCONFIG_SITE_AGENT=m\n");
        Path rules = Files.writeString(dir.resolve("site.json"), """
                {
                  "schema": "kharden-catalog/1",
                  "features": [
                    {
                      "id": "site-agent",
                      "title": "Site agent built in",
                      "summary": "Our monitoring agent must be built in, not a module.",
                      "explanation": "Policy of this site.",
                      "bugClasses": ["BC22"],
                      "origin": {"lineage": ["site"], "paxGrsec": null},
                      "checks": [
                        {"id": "kconfig:CONFIG_SITE_AGENT", "type": "kconfig", "option": "CONFIG_SITE_AGENT",
                         "expect": "= y", "profiles": ["kspp"], "severity": "high"}
                      ]
                    }
                  ],
                  "checkOverrides": [
                    {"check": "kconfig:CONFIG_DEVMEM", "expect": "= y", "reason": "our BMC flasher needs /dev/mem"}
                  ]
                }
                """);
        CliRun base = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--format", "json");
        assertThat(finding(base, "kconfig:CONFIG_DEVMEM").get("verdict").asText()).isEqualTo("fail");
        CliRun r = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--format", "json", "--rules", rules.toString());
        assertThat(finding(r, "kconfig:CONFIG_DEVMEM").get("verdict").asText()).isEqualTo("pass");
        JsonNode agent = finding(r, "kconfig:CONFIG_SITE_AGENT");
        assertThat(agent.get("verdict").asText()).isEqualTo("fail");
        assertThat(agent.get("severity").asText()).isEqualTo("high");
    }

    @Test
    void badRuleFilesAreOneLineNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path cfg = config(dir);
        String[][] cases = {
                {"a.json", "{\"schema\": \"kharden-catalog/1\",\n \"checkOverrides\": [\n {\"check\": \"kconfig:CONFIG_NOPE\", \"expect\": \"= y\", \"reason\": \"x\"}]}",
                        ":3: check override names unknown check id 'kconfig:CONFIG_NOPE'"},
                {"b.json", "{\"schema\": \"kharden-catalog/1\",\n \"checkOverrides\": [\n {\"check\": \"kconfig:CONFIG_DEVMEM\", \"expect\": \"== y\", \"reason\": \"x\"}]}",
                        ":3: "},
                {"c.json", "{\"schema\": \"kharden-catalog/1\",\n \"checkOverrides\": [\n {\"check\": \"kconfig:CONFIG_DEVMEM\", \"expect\": \"= y\"}]}",
                        ":3: missing required key 'reason'"},
                {"d.json", "{\"schema\": \"kharden-catalog/1\", \"features\": [\n{\"id\": \"lockdown\"}]}", ":2: "},
                {"e.json", "not json", ":1: "},
        };
        for (String[] c : cases) {
            Path f = Files.writeString(dir.resolve(c[0]), c[1]);
            CliRun r = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--rules", f.toString());
            assertThat(r.code()).as(c[0]).isEqualTo(2);
            assertThat(r.err().strip()).as(c[0]).startsWith("kharden: " + f + c[2]).doesNotContain("Exception");
            assertThat(r.out()).as(c[0]).isEmpty();
        }
        // several problems: each is named, not only counted
        Path two = Files.writeString(dir.resolve("two.json"), "{\"schema\": \"kharden-catalog/1\",\n \"checkOverrides\": [\n"
                + " {\"check\": \"kconfig:CONFIG_NOPE\", \"expect\": \"= y\", \"reason\": \"x\"},\n"
                + " {\"check\": \"kconfig:CONFIG_ALSO_NOPE\", \"expect\": \"= y\", \"reason\": \"x\"}]}");
        CliRun both = CliRun.of("check", "--profile", "kspp", "--config", cfg.toString(), "--rules", two.toString());
        assertThat(both.err()).contains("CONFIG_NOPE").contains(two + ":4: check override names unknown check id 'kconfig:CONFIG_ALSO_NOPE'");
    }
}
