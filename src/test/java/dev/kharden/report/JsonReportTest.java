package dev.kharden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kharden.audit.Auditor;
import dev.kharden.audit.Inputs;
import dev.kharden.audit.Report;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON report document, written in one go or from reports rendered one by one (a batch on every core). */
class JsonReportTest {
    private static List<Report> reports() throws Exception {
        Catalog catalog = CatalogLoader.load();
        Path cfg = Path.of(JsonReportTest.class.getResource("small.config").toURI());
        KernelConfig kc = KconfigParser.parse(cfg);
        Auditor auditor = new Auditor(catalog);
        List<Report> out = new ArrayList<>();
        for (String profile : new String[] {"kspp", "developer"}) {
            out.add(auditor.audit(new Inputs(kc, null, null, null, kc.arch().orElseThrow(), kc.version().orElse(null)),
                    profile, Map.of("config", cfg.toString())));
        }
        out.add(Report.failed("broken.config", Map.of("config", "broken.config"), "kspp", "broken.config:3: \"quoted\" \\ error"));
        return out;
    }

    private static String whole(List<Report> rs) {
        StringWriter w = new StringWriter();
        JsonReport.write(rs, "1.2.3", w);
        return w.toString();
    }

    private static String piecewise(List<Report> rs) {
        StringWriter w = new StringWriter();
        JsonReport.writeRendered(rs.stream().map(JsonReport::render).toList(), "1.2.3", w);
        return w.toString();
    }

    @Test
    void renderedReportsMakeTheSameDocumentByteForByte() throws Exception {
        List<Report> all = reports();
        for (List<Report> rs : List.of(List.<Report>of(), all.subList(0, 1), all)) {
            assertThat(piecewise(rs)).as("%d reports", rs.size()).isEqualTo(whole(rs));
        }
    }

    @Test
    void warmingUpWritesNothingAndLeavesTheWriterUsable() throws Exception {
        JsonReport.warmUp();
        assertThat(piecewise(reports())).isEqualTo(whole(reports()));
    }

    @Test
    void theDocumentCarriesSchemaToolAndOneEntryPerReport() throws Exception {
        List<Report> all = reports();
        JsonNode doc = new ObjectMapper().readTree(piecewise(all));
        assertThat(doc.get("schema").asText()).isEqualTo(JsonReport.SCHEMA);
        assertThat(doc.get("tool").get("version").asText()).isEqualTo("1.2.3");
        assertThat(doc.get("reports")).hasSize(3);
        assertThat(doc.get("reports").get(0).get("profile").asText()).isEqualTo("kspp");
        assertThat(doc.get("reports").get(0).get("findings").size()).isEqualTo(all.get(0).findings().size());
        assertThat(doc.get("reports").get(2).get("error").asText()).contains("\"quoted\" \\ error");
    }
}
