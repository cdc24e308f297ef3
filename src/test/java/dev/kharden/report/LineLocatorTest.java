package dev.kharden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kharden.audit.Auditor;
import dev.kharden.audit.Inputs;
import dev.kharden.audit.Report;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.input.TextSource;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SARIF writer places results only through the locator it is given: {@link SourceLines} finds
 * each option's line in the named file, {@link LineLocator#WHOLE_FILE} points at line 1 even when
 * the file is there (for names that are not files on this system).
 */
class LineLocatorTest {
    private static final Catalog CATALOG = CatalogLoader.load();

    @Test
    void sarifResultsArePlacedByTheLocatorGiven(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("placed.config");
        Files.writeString(cfg, "# a config written by the test\n\nCONFIG_X86_64=y\nCONFIG_DEVMEM=y\n"
                + "# CONFIG_STACKPROTECTOR_STRONG is not set\nCONFIG_BUG=y\n");
        KernelConfig kc = KconfigParser.parse(TextSource.fromBytes(cfg.toString(), Files.readAllBytes(cfg)));
        Report r = new Auditor(CATALOG).audit(new Inputs(kc, null, null, null, Arch.X86_64, null), "kspp",
                Map.of("config", cfg.toString()));

        Map<String, Integer> placed = lines(r, new SourceLines());
        assertThat(placed).containsEntry("kconfig:CONFIG_DEVMEM", 4)
                .containsEntry("kconfig:CONFIG_STACKPROTECTOR_STRONG", 5);

        // The file is still there: only the locator given can put these results on line 1.
        Map<String, Integer> whole = lines(r, LineLocator.WHOLE_FILE);
        assertThat(whole.keySet()).isEqualTo(placed.keySet());
        assertThat(whole.values()).containsOnly(1);
    }

    private static Map<String, Integer> lines(Report r, LineLocator locator) throws Exception {
        StringWriter out = new StringWriter();
        SarifReport.write(List.of(r), CATALOG, "test", false, locator, out);
        Map<String, Integer> byRule = new java.util.TreeMap<>();
        List<JsonNode> results = new ArrayList<>();
        new ObjectMapper().readTree(out.toString()).at("/runs/0/results").forEach(results::add);
        for (JsonNode res : results) {
            JsonNode line = res.at("/locations/0/physicalLocation/region/startLine");
            if (!line.isMissingNode()) {
                byRule.put(res.get("ruleId").asText(), line.asInt());
            }
        }
        return byRule;
    }
}
