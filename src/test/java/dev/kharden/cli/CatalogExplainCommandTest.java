package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** `kharden catalog` and `kharden explain` on the real catalogue, for people and for machines. */
class CatalogExplainCommandTest {
    @Test
    void catalogFiltersByBugClassNameOrIdAndReportsJson() {
        CliRun byName = CliRun.of("catalog", "--bug-class", "use-after-free", "--format", "json");
        assertThat(byName.code()).isZero();
        JsonNode features = byName.json().get("features");
        assertThat(features.size()).isPositive();
        for (JsonNode f : features) {
            assertThat(f.get("bugClasses").toString()).contains("BC06");
        }
        CliRun byId = CliRun.of("catalog", "--bug-class", "BC06", "--format", "json");
        assertThat(byId.json().get("features").size()).isEqualTo(features.size());
        assertThat(byId.json().get("schema").asText()).isEqualTo("kharden-catalog-list/1");
    }

    @Test
    void profileExpectationsComeInTheSameOrderEveryRun() {
        // the catalogue keeps them in a map whose order is new in every JVM: the JSON sorts them
        int seen = 0;
        for (JsonNode f : CliRun.of("catalog", "--format", "json").json().get("features")) {
            for (JsonNode c : f.get("checks")) {
                java.util.List<String> keys = new java.util.ArrayList<>();
                c.get("profileExpect").fieldNames().forEachRemaining(keys::add);
                assertThat(keys).as(c.get("id").asText()).isSorted();
                seen += keys.size() > 1 ? 1 : 0;
            }
        }
        assertThat(seen).isGreaterThanOrEqualTo(5);
    }

    @Test
    void catalogFiltersCombineAndTextEndsWithACount() {
        CliRun all = CliRun.of("catalog");
        CliRun pax = CliRun.of("catalog", "--origin", "PaX", "--type", "kconfig");
        assertThat(all.out()).containsPattern("(\\d+) of \\1 features");
        assertThat(pax.out().lines().count()).isLessThan(all.out().lines().count());
        assertThat(CliRun.of("catalog", "--bug-class", "no-such-class").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("catalog", "--bug-classes").out()).contains("BC25");
        assertThat(CliRun.of("catalog", "--type", "bogus").err()).contains("unknown --type 'bogus'");
        assertThat(CliRun.of("catalog", "--bug-class", "").code()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("catalog", "--type", "sysctl").code()).isZero();
    }

    @Test
    void bugClassesAsJsonListEachClassWithItsFeatures() {
        JsonNode j = CliRun.of("catalog", "--bug-classes", "--format", "json").json();
        assertThat(j.get("schema").asText()).isEqualTo("kharden-bug-classes/1");
        JsonNode classes = j.get("bugClasses");
        assertThat(classes.size()).isEqualTo(25);
        JsonNode uaf = classes.get(5);
        assertThat(uaf.get("id").asText()).isEqualTo("BC06");
        assertThat(uaf.get("cwe").toString()).contains("416");
        JsonNode viaFilter = CliRun.of("catalog", "--bug-class", "BC06", "--format", "json").json().get("features");
        assertThat(uaf.get("features").size()).isEqualTo(viaFilter.size());
    }

    @Test
    void aProfileFilterSaysHowManyChecksTheProfileRequires() {
        String last = CliRun.of("catalog", "--profile", "server").out().strip().lines().reduce((a, b) -> b).orElseThrow();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of \\d+ features, (\\d+) checks, (\\d+) of them required by server")
                .matcher(last);
        assertThat(m.matches()).as(last).isTrue();
        assertThat(Integer.parseInt(m.group(3))).isLessThan(Integer.parseInt(m.group(2)));
    }

    @Test
    void explainSuggestsNamesThatContainAMistypedQuery() {
        CliRun r = CliRun.of("explain", "INIT_ON_FRE");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("nothing in the catalogue matches 'INIT_ON_FRE'")
                .contains("hint: did you mean").contains("CONFIG_INIT_ON_FREE_DEFAULT_ON");
        assertThat(CliRun.of("explain", "zzzzzz").err()).contains("try 'kharden catalog'");
    }

    @Test
    void explainFindsAFeatureByOptionAndDocumentsIt() {
        CliRun text = CliRun.of("explain", "INIT_ON_FREE_DEFAULT_ON");
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("Defends against:").contains("Origin:").contains("Checks:")
                .contains("CONFIG_INIT_ON_FREE_DEFAULT_ON");
        JsonNode json = CliRun.of("explain", "kconfig:CONFIG_INIT_ON_FREE_DEFAULT_ON", "--format", "json").json();
        assertThat(json.get("schema").asText()).isEqualTo("kharden-explain/1");
        assertThat(json.get("features").get(0).get("checks").toString()).contains("CONFIG_INIT_ON_FREE_DEFAULT_ON");
        CliRun missing = CliRun.of("explain", "CONFIG_DOES_NOT_EXIST");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nothing in the catalogue matches").contains("hint:");
    }
}
