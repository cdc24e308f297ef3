package dev.kharden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.kharden.cli.CliRun;
import dev.kharden.cli.ExitCodes;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kharden check --format sarif`: the log is valid against the official SARIF 2.1.0 schema (test
 * data, see sarif-schema-2.1.0.NOTICE.md), its rules carry the catalogue's text, and each result
 * says the verdict, the level and where the option sits in the input.
 */
class SarifReportTest {
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = SarifReportTest.class.getResourceAsStream("sarif-schema-2.1.0.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
    }

    static Path fixture(String name) throws Exception {
        return Path.of(SarifReportTest.class.getResource(name).toURI());
    }

    static JsonNode valid(CliRun r) {
        JsonNode log = r.json();
        List<Error> errors = schema.validate(log);
        assertThat(errors).as("schema errors").isEmpty();
        return log;
    }

    @Test
    void fixtureConfigGivesAValidLogWithCatalogueRulesAndPlacedResults() throws Exception {
        Path cfg = fixture("small.config");
        CliRun r = CliRun.of("check", "--config", cfg.toString(), "--cmdline", fixture("small.cmdline").toString(),
                "--profile", "kspp", "--format", "sarif");
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode log = valid(r);
        assertThat(log.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = log.get("runs").get(0);
        JsonNode rules = run.at("/tool/driver/rules");
        JsonNode results = run.get("results");
        assertThat(results.size()).isPositive();

        // Rule metadata comes from the catalogue entry of the check's feature.
        JsonNode devmem = null;
        for (JsonNode rule : rules) {
            if (rule.get("id").asText().equals("kconfig:CONFIG_DEVMEM")) {
                devmem = rule;
            }
        }
        assertThat(devmem).as("rule for CONFIG_DEVMEM").isNotNull();
        assertThat(devmem.at("/help/markdown").asText()).contains("Defends against").contains("kspp");
        assertThat(devmem.at("/properties/tags").toString()).contains("security");
        assertThat(devmem.at("/properties/security-severity").asText()).matches("\\d+\\.\\d");

        List<String> lines = Files.readAllLines(cfg);
        for (JsonNode res : results) {
            String kind = res.get("kind").asText();
            assertThat(kind).isIn("fail", "open"); // --show fail: failures and unknowns only
            JsonNode rule = rules.get(res.get("ruleIndex").asInt());
            assertThat(rule.get("id").asText()).isEqualTo(res.get("ruleId").asText());
            assertThat(res.at("/properties/verdict").asText()).isEqualTo(kind.equals("open") ? "unknown" : "fail");
            if (kind.equals("fail")) {
                assertThat(res.get("level").asText()).isEqualTo(rule.at("/defaultConfiguration/level").asText());
            } else {
                assertThat(res.get("level").asText()).isEqualTo("none");
            }
            // A kconfig failure the fixture mentions points at its line.
            String option = res.at("/properties/option").asText();
            if (res.get("ruleId").asText().startsWith("kconfig:")) {
                int line = res.at("/locations/0/physicalLocation/region/startLine").asInt();
                int expected = 1;
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).startsWith(option + "=") || lines.get(i).equals("# " + option + " is not set")) {
                        expected = i + 1;
                    }
                }
                assertThat(line).as(option).isEqualTo(expected);
                assertThat(res.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).endsWith("small.config");
            }
        }
        assertThat(results.findValuesAsText("ruleId")).contains("kconfig:CONFIG_DEVMEM", "kconfig:CONFIG_INIT_ON_FREE_DEFAULT_ON");
        // Every rule is used by a result, so an upload carries no help text it does not need.
        assertThat(new TreeSet<>(rules.findValuesAsText("id").stream().filter(id -> id.contains(":")).toList()))
                .isEqualTo(new TreeSet<>(results.findValuesAsText("ruleId")));
    }

    @Test
    void showAllGivesOneResultPerFindingWithEveryKind() throws Exception {
        Path cfg = fixture("small.config");
        JsonNode json = CliRun.of("check", "--config", cfg.toString(), "--format", "json").json();
        JsonNode log = valid(CliRun.of("check", "--config", cfg.toString(), "--format", "sarif", "--show", "all"));
        JsonNode results = log.at("/runs/0/results");
        assertThat(results.size()).isEqualTo(json.at("/reports/0/findings").size());
        Set<String> kinds = new TreeSet<>(results.findValuesAsText("kind"));
        assertThat(kinds).contains("pass", "fail", "open");
        long jsonFails = json.at("/reports/0/summary/fail").asLong();
        assertThat(results.findValuesAsText("kind").stream().filter("fail"::equals).count()).isEqualTo(jsonFails);
    }

    @Test
    void batchWithABadFileIsStillAValidLogThatNamesTheError(@TempDir Path dir) throws Exception {
        Files.copy(fixture("small.config"), dir.resolve("a.config"));
        Files.writeString(dir.resolve("b.config"), "not a config at all\n");
        CliRun r = CliRun.of("check", "--config", dir.toString(), "--format", "sarif");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        JsonNode runs = valid(r).get("runs");
        assertThat(runs).hasSize(2);
        JsonNode bad = runs.get(1).at("/invocations/0");
        assertThat(bad.get("executionSuccessful").asBoolean()).isFalse();
        assertThat(bad.at("/toolExecutionNotifications/0/message/text").asText()).contains("b.config");
        assertThat(runs.get(0).at("/automationDetails/id").asText()).isNotEqualTo(runs.get(1).at("/automationDetails/id").asText());
    }

    @Test
    void sarifGoesToAFileAtomically(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("kharden.sarif");
        CliRun r = CliRun.of("check", "--config", fixture("small.config").toString(), "--format", "sarif", "-o", out.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(r.out()).isEmpty();
        JsonNode log = new ObjectMapper().readTree(out.toFile());
        assertThat(schema.validate(log)).isEmpty();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("kharden.sarif");
        }
        CliRun missing = CliRun.of("check", "--config", fixture("small.config").toString(), "--format", "sarif",
                "-o", dir.resolve("no/such/folder/x.sarif").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("does not exist").doesNotContain("Exception");
    }

    @Test
    void waivedFailuresAreSuppressedNotOpen(@TempDir Path dir) throws Exception {
        Path waivers = Files.writeString(dir.resolve("waivers.txt"), "CONFIG_STRICT_DEVMEM 2099-12-31 the BMC flasher needs it\n");
        CliRun r = CliRun.of("check", "--config", fixture("small.config").toString(), "--format", "sarif",
                "--waivers", waivers.toString());
        JsonNode devmem = null;
        for (JsonNode res : valid(r).at("/runs/0/results")) {
            if (res.get("ruleId").asText().equals("kconfig:CONFIG_STRICT_DEVMEM")) {
                devmem = res;
            } else {
                assertThat(res.has("suppressions")).as(res.get("ruleId").asText()).isFalse();
            }
        }
        assertThat(devmem).isNotNull();
        assertThat(devmem.get("kind").asText()).isEqualTo("fail");
        assertThat(devmem.at("/suppressions/0/kind").asText()).isEqualTo("external");
        assertThat(devmem.at("/suppressions/0/status").asText()).isEqualTo("accepted");
        assertThat(devmem.at("/suppressions/0/justification").asText()).isEqualTo("the BMC flasher needs it");
        assertThat(devmem.at("/suppressions/0/properties/expires").asText()).isEqualTo("2099-12-31");
    }

    @Test
    void theSchemaCheckCatchesABrokenLog() throws Exception {
        JsonNode log = valid(CliRun.of("check", "--config", fixture("small.config").toString(), "--format", "sarif"));
        var broken = (com.fasterxml.jackson.databind.node.ObjectNode) log.at("/runs/0/results/0");
        broken.put("kind", "failed");
        broken.remove("message");
        assertThat(schema.validate(log)).isNotEmpty();
    }

    @Test
    void pathsBecomeUriReferences() {
        assertThat(SarifReport.uri("configs/a b.config")).isEqualTo("configs/a%20b.config");
        assertThat(SarifReport.uri("/proc/config.gz")).isEqualTo("file:///proc/config.gz");
        assertThat(SarifReport.uri("Android_15_(6.6)_aarch64.config")).doesNotContain(" ");
    }

    @Test
    void everyDistroConfigGivesASchemaValidLog() {
        String shared = System.getProperty("kharden.shared");
        Path distros = shared == null ? null : Path.of(shared, "corpus/kconfig/distros");
        Assumptions.assumeTrue(distros != null && Files.isDirectory(distros), "../shared absent: skipping");
        List<String> args = new ArrayList<>(List.of("check", "--config", distros.toString(), "--format", "sarif", "--show", "all"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        JsonNode log = valid(r);
        assertThat(log.get("runs").size()).isGreaterThan(5);
        for (JsonNode run : log.get("runs")) {
            assertThat(run.at("/invocations/0/executionSuccessful").asBoolean()).as(run.at("/automationDetails/id").asText()).isTrue();
            assertThat(run.get("results").size()).isPositive();
        }
    }
}
