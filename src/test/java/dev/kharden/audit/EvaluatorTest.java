package dev.kharden.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.cmdline.Cmdline;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.sysctl.SysctlParser;
import dev.kharden.sysctl.Sysctls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Audits the fixture config (with its command line and sysctls) against the fixture catalogue and
 * compares every verdict with the `# expect CHECK VERDICT` markers written in the config itself:
 * every check must be marked, and every marker must match.
 */
class EvaluatorTest {
    static final Path DIR = Path.of("src/test/resources/dev/kharden/audit");
    static final String FIXTURE_CATALOG = "/dev/kharden/audit/fixture-catalog/";

    static Catalog fixtureCatalog() {
        return CatalogLoader.load(FIXTURE_CATALOG, List.of());
    }

    static Inputs fixtureInputs() {
        KernelConfig kc = KconfigParser.parse(DIR.resolve("fixture-x86_64.config"));
        Cmdline cl = CmdlineParser.parse(DIR.resolve("fixture.cmdline"));
        Sysctls sc = SysctlParser.parse(DIR.resolve("fixture-sysctl.txt"));
        return new Inputs(kc, cl, sc, null, kc.arch().orElseThrow(), kc.version().orElseThrow());
    }

    @Test
    void everyVerdictMatchesItsMarker() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^# expect (\\S+) (\\S+)$")
                .matcher(Files.readString(DIR.resolve("fixture-x86_64.config")));
        while (m.find()) {
            expected.put(m.group(1), m.group(2));
        }
        Report r = new Auditor(fixtureCatalog()).audit(fixtureInputs(), "kspp", Map.of());
        Map<String, String> actual = new LinkedHashMap<>();
        for (Finding f : r.findings()) {
            actual.put(f.check().id(), f.verdict().id());
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void profileOverridesExpectationAndSelectsChecks() {
        Report server = new Auditor(fixtureCatalog()).audit(fixtureInputs(), "server", Map.of());
        assertThat(server.findings()).extracting(f -> f.check().id())
                .containsExactly("kconfig:CONFIG_EQ_Y", "sysctl:kernel.kptr_restrict");
        Finding kptr = server.findings().get(1);
        assertThat(kptr.desired()).isEqualTo(">= 1");
        assertThat(kptr.actual()).isEqualTo("2");
        assertThat(kptr.verdict()).isInstanceOf(Verdict.Pass.class);
    }

    @Test
    void missingInputsGiveUnknownWithTheInputNamed() {
        Inputs in = fixtureInputs();
        Inputs configOnly = new Inputs(in.config(), null, null, null, in.arch(), in.version());
        Report r = new Auditor(fixtureCatalog()).audit(configOnly, "kspp", Map.of());
        Finding kptr = r.findings().stream().filter(f -> f.check().id().equals("sysctl:kernel.kptr_restrict"))
                .findFirst().orElseThrow();
        assertThat(kptr.verdict()).isInstanceOf(Verdict.Unknown.class);
        assertThat(kptr.verdict().reason()).contains("--sysctl");
        // Without a command line the boot-parameter override cannot apply: the config decides.
        Finding alloc = r.findings().stream().filter(f -> f.check().id().equals("kconfig:CONFIG_INIT_ON_ALLOC"))
                .findFirst().orElseThrow();
        assertThat(alloc.verdict()).isInstanceOf(Verdict.Fail.class);
    }

    @Test
    void reasonsNameWhatWasFound() {
        Report r = new Auditor(fixtureCatalog()).audit(fixtureInputs(), "kspp", Map.of());
        Map<String, String> reasons = new LinkedHashMap<>();
        r.findings().forEach(f -> reasons.put(f.check().id(), f.verdict().reason()));
        assertThat(reasons.get("kconfig:CONFIG_EQ_Y_BUT_M")).isEqualTo("CONFIG_EQ_Y_BUT_M is \"m\", expected = y");
        assertThat(reasons.get("kconfig:CONFIG_ABSENT_WANT_Y")).contains("is not found");
        assertThat(reasons.get("kconfig:CONFIG_CHILD_NA")).startsWith("parent feature off");
        assertThat(reasons.get("kconfig:CONFIG_ARM_ONLY")).contains("x86_64");
        assertThat(reasons.get("kconfig:CONFIG_MITIGATED")).contains("mitigations = off");
        assertThat(reasons.get("kconfig:CONFIG_RND_BITS")).contains("32");
        // a kconfig string is shown with its own quotes, not a second pair around them
        assertThat(r.findings().stream().filter(f -> f.check().option().equals("CONFIG_LSM")).map(f -> f.verdict().reason()))
                .isNotEmpty().allMatch(s -> s.startsWith("CONFIG_LSM is \"landlock,lockdown,yama,integrity,apparmor\""))
                .noneMatch(s -> s.contains("\"\""));
    }
}
