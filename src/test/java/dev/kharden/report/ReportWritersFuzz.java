package dev.kharden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kharden.audit.Auditor;
import dev.kharden.audit.Inputs;
import dev.kharden.audit.Report;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.cmdline.Cmdline;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target for the SARIF and HTML writers: whatever a config and a command line hold (they reach
 * the reports as actual values, reasons and the input's name), the SARIF log is well-formed JSON and
 * the HTML page holds no markup but ours: exactly one script element, no stray tags from the input.
 * The input's name is fuzzed text, not a file, so the SARIF writer gets no file-reading line locator
 * (Jazzer rightly reports a file opened by a name taken from the input).
 */
class ReportWritersFuzz {
    private static final Catalog CATALOG = CatalogLoader.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "15s")
    void writers(FuzzedDataProvider data) throws Exception {
        String name = data.consumeString(40);
        String cmdlineText = data.consumeString(200);
        byte[] config = data.consumeRemainingAsBytes();
        KernelConfig kc;
        Cmdline cl;
        try {
            kc = KconfigParser.parse(TextSource.fromBytes(name, config));
            cl = CmdlineParser.parse(TextSource.fromBytes("cmdline", cmdlineText.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (InputException expected) {
            return; // the parsers' own fuzz target covers bad input
        }
        Inputs in = new Inputs(kc, cl, null, null, kc.arch().orElse(Arch.X86_64), kc.version().orElse(null));
        Report r = new Auditor(CATALOG).audit(in, "kspp", Map.of("config", name, "cmdline", "cmdline"));

        StringWriter sarif = new StringWriter();
        SarifReport.write(List.of(r), CATALOG, "fuzz", true, LineLocator.WHOLE_FILE, sarif);
        assertThat(JSON.readTree(sarif.toString()).at("/runs/0/results").size()).isEqualTo(r.findings().size());

        StringWriter html = new StringWriter();
        HtmlReport.write(List.of(r), CATALOG, "fuzz", true, x -> Map.of(), html);
        String page = html.toString();
        assertThat(page.split("<script", -1)).hasSize(2);
        assertThat(page).doesNotContain("<" + "img").doesNotContain("<iframe");
        if (!name.isEmpty()) {
            assertThat(page).contains(HtmlReport.esc(name));
        }
    }
}
