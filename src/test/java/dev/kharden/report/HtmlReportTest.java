package dev.kharden.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kharden.cli.CliRun;
import dev.kharden.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML page without a browser: self-contained, escaped, every finding linked to an explanation in the page. */
class HtmlReportTest {
    static String html(String... extra) throws Exception {
        String[] args = new String[4 + extra.length];
        args[0] = "check";
        args[1] = "--config";
        args[2] = SarifReportTest.fixture("small.config").toString();
        args[3] = "--format=html";
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.FINDINGS);
        return r.out();
    }

    @Test
    void pageFetchesNothingAndForbidsFetching() throws Exception {
        String page = html();
        assertThat(page).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy").contains("default-src 'none'");
        // Nothing that a browser would load: no src attributes, no stylesheet links, no imports.
        assertThat(page).doesNotContainPattern("\\ssrc=").doesNotContain("<link").doesNotContain("@import")
                .doesNotContain("url(").doesNotContainPattern("href=\"(?!#)");
    }

    @Test
    void everyFindingRowLinksToAnExplanationInThePage() throws Exception {
        String page = html();
        JsonNode json = CliRun.of("check", "--config", SarifReportTest.fixture("small.config").toString(), "--format", "json").json();
        Matcher rows = Pattern.compile("<tr class=\"finding[^>]*>").matcher(page);
        int n = 0;
        while (rows.find()) {
            n++;
        }
        assertThat(n).isEqualTo(json.at("/reports/0/findings").size());
        Set<String> links = new LinkedHashSet<>();
        Matcher m = Pattern.compile("href=\"#feature-([^\"]+)\"").matcher(page);
        while (m.find()) {
            links.add(m.group(1));
        }
        assertThat(links).isNotEmpty();
        for (String id : links) {
            assertThat(page).as(id).contains("<article class=\"feature\" id=\"feature-" + id + "\">");
        }
        assertThat(links).containsAll(json.at("/reports/0/findings").findValuesAsText("feature"));
    }

    @Test
    void inputTextIsEscaped(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("<b>x&y.config"),
                "CONFIG_X86_64=y\nCONFIG_DEFAULT_MMAP_MIN_ADDR=\"<script>alert(1)</script>\"\n");
        CliRun r = CliRun.of("check", "--config", cfg.toString(), "--format", "html", "--show", "all");
        assertThat(r.out()).doesNotContain("<script>alert").doesNotContain("<b>x&y")
                .contains("&lt;b&gt;x&amp;y.config").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        // Exactly the one script of our own.
        assertThat(r.out().split("<script>", -1)).hasSize(2);
    }

    @Test
    void filtersStartOnFailuresUnlessShowAll() throws Exception {
        assertThat(html()).contains("value=\"fail\" checked").contains("value=\"unknown\" checked")
                .doesNotContain("value=\"pass\" checked");
        assertThat(html("--show", "all")).contains("value=\"pass\" checked").contains("value=\"not_applicable\" checked");
    }

    @Test
    void waivedFailuresAreTheirOwnCategoryWithTheirReason(@TempDir Path dir) throws Exception {
        Path waivers = Files.writeString(dir.resolve("waivers.txt"), "CONFIG_STRICT_DEVMEM 2099-12-31 the <BMC> flasher\n");
        String page = html("--waivers", waivers.toString());
        Matcher row = Pattern.compile("<tr class=\"finding v-waived\"[^>]*>.*?</tr>").matcher(page);
        assertThat(row.find()).isTrue();
        assertThat(row.group()).contains("CONFIG_STRICT_DEVMEM").contains("Waived: the &lt;BMC&gt; flasher (until 2099-12-31)");
        assertThat(row.find()).as("only the one waived finding").isFalse();
        assertThat(page).contains("value=\"waived\" checked");
    }

    @Test
    void profileComparisonCoversEveryProfile() throws Exception {
        String page = html();
        Matcher m = Pattern.compile("data-chart=\"profiles\".*?</svg>", Pattern.DOTALL).matcher(page);
        assertThat(m.find()).isTrue();
        assertThat(m.group()).contains("developer").contains("server (selected)").contains("handset").contains("kspp");
    }
}
