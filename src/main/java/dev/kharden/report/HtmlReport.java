package dev.kharden.report;

import dev.kharden.audit.Finding;
import dev.kharden.audit.Report;
import dev.kharden.catalog.BugClass;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.Feature;
import dev.kharden.input.Warning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes audit reports as one self-contained HTML page for people: per input, a summary per verdict,
 * per bug class and per profile drawn as inline SVG, every finding in a filterable table, and each
 * finding linked to its feature's explanation embedded further down the page.
 *
 * <p>Security invariant: the page fetches nothing. All styles, script and charts are inline, every
 * catalogue or input string is HTML-escaped, and a Content-Security-Policy of {@code default-src
 * 'none'} makes the browser refuse any fetch a future change might add by mistake.
 */
public final class HtmlReport {
    /** The verdicts in display order (a waived failure is its own category), with the colour each is drawn in. */
    private static final Map<String, String> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("fail", "#cf222e");
        COLOURS.put("unknown", "#bf8700");
        COLOURS.put("waived", "#8250df");
        COLOURS.put("pass", "#1a7f37");
        COLOURS.put("not_applicable", "#8c959f");
    }

    private HtmlReport() {
    }

    /**
     * Writes the page. Every finding is in the page; with {@code all} false the filters start on
     * failures and unknowns only. {@code underProfiles} gives the same input audited under each
     * profile (empty when it cannot be re-audited) for the profile comparison.
     */
    public static void write(List<Report> reports, Catalog catalog, String toolVersion, boolean all,
            Function<Report, Map<String, Report>> underProfiles, Writer out) {
        StringBuilder b = new StringBuilder(1 << 16);
        String title = reports.size() == 1 ? "kharden check: " + reports.getFirst().label()
                : "kharden check: " + reports.size() + " inputs";
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
                .append("style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"kharden ").append(esc(toolVersion)).append("\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<header><h1>").append(esc(title)).append("</h1><p>kharden ").append(esc(toolVersion))
                .append(" &middot; profile <b>").append(esc(reports.isEmpty() ? "" : reports.getFirst().profile()))
                .append("</b> &middot; each finding links to its explanation below.</p></header>\n");
        filters(b, reports, catalog, all);
        Map<String, Feature> explained = new LinkedHashMap<>();
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            section(b, i, r, catalog, underProfiles.apply(r));
            r.findings().forEach(f -> explained.putIfAbsent(f.feature().id(), f.feature()));
        }
        explanations(b, explained, catalog);
        b.append("<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        try {
            out.write(b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void filters(StringBuilder b, List<Report> reports, Catalog catalog, boolean all) {
        b.append("<nav id=\"filters\" aria-label=\"Filters\"><fieldset><legend>Verdict</legend>");
        for (String v : COLOURS.keySet()) {
            boolean on = all || v.equals("fail") || v.equals("unknown") || v.equals("waived");
            b.append("<label><input type=\"checkbox\" name=\"verdict\" value=\"").append(v).append('"')
                    .append(on ? " checked" : "").append("><span class=\"dot\" style=\"background:")
                    .append(COLOURS.get(v)).append("\"></span>").append(v.replace('_', ' ')).append("</label>");
        }
        b.append("</fieldset><label>Severity <select id=\"f-severity\"><option value=\"\">any</option>")
                .append("<option value=\"high\">high</option><option value=\"medium\">medium</option><option value=\"low\">low</option></select></label>");
        b.append("<label>Bug class <select id=\"f-bc\"><option value=\"\">any</option>");
        for (BugClass bc : catalog.bugClasses().values()) {
            b.append("<option value=\"").append(esc(bc.id())).append("\">").append(esc(bc.id() + " " + bc.name())).append("</option>");
        }
        b.append("</select></label>");
        if (reports.size() > 1) {
            b.append("<label>Input <select id=\"f-report\"><option value=\"\">all</option>");
            for (int i = 0; i < reports.size(); i++) {
                b.append("<option value=\"").append(i).append("\">").append(esc(reports.get(i).label())).append("</option>");
            }
            b.append("</select></label>");
        }
        b.append("<label>Search <input type=\"search\" id=\"f-text\" placeholder=\"option, feature, reason\"></label>")
                .append("<span id=\"count\"><b id=\"shown\">0</b> of ")
                .append(reports.stream().mapToInt(r -> r.findings().size()).sum()).append(" findings shown</span></nav>\n");
    }

    private static void section(StringBuilder b, int index, Report r, Catalog catalog, Map<String, Report> byProfile) {
        b.append("<section class=\"report\" id=\"report-").append(index).append("\" data-report=\"").append(index).append("\">\n");
        b.append("<h2>").append(esc(r.label())).append("</h2>\n");
        if (r.error() != null) {
            b.append("<p class=\"error\">Could not be audited: ").append(esc(r.error())).append("</p>\n</section>\n");
            return;
        }
        b.append("<p class=\"meta\">arch ").append(esc(r.arch() == null ? "unknown" : r.arch().id()))
                .append(" &middot; kernel ").append(esc(r.version() == null ? "unknown" : r.version().toString()))
                .append(" &middot; profile ").append(esc(r.profile()));
        r.inputs().forEach((k, v) -> b.append(" &middot; ").append(esc(k)).append(" <code>").append(esc(v)).append("</code>"));
        b.append("</p>\n");
        if (!r.warnings().isEmpty()) {
            b.append("<details class=\"warnings\"><summary>").append(r.warnings().size()).append(" warnings</summary><ul>");
            for (Warning w : r.warnings()) {
                b.append("<li>").append(esc(w.toString())).append("</li>");
            }
            b.append("</ul></details>\n");
        }
        b.append("<div class=\"charts\">\n<figure><figcaption>Verdicts</figcaption>");
        Map<String, long[]> one = new LinkedHashMap<>();
        one.put("all checks", counts(r.findings()));
        Charts.stacked(b, one, COLOURS, false, "verdicts");
        b.append("</figure>\n<figure><figcaption>By bug class (click a bar to filter)</figcaption>");
        Map<String, long[]> perClass = new LinkedHashMap<>();
        for (BugClass bc : catalog.bugClasses().values()) {
            List<Finding> mine = r.findings().stream().filter(f -> f.feature().bugClasses().contains(bc.id())).toList();
            if (!mine.isEmpty()) {
                perClass.put(bc.id() + " " + bc.name(), counts(mine));
            }
        }
        Charts.stacked(b, perClass, COLOURS, false, "bugclasses");
        b.append("</figure>\n");
        if (!byProfile.isEmpty()) {
            b.append("<figure><figcaption>This input under each profile (share of its checks)</figcaption>");
            Map<String, long[]> perProfile = new LinkedHashMap<>();
            byProfile.forEach((p, pr) -> perProfile.put(p + (p.equals(r.profile()) ? " (selected)" : ""), counts(pr.findings())));
            Charts.stacked(b, perProfile, COLOURS, true, "profiles");
            b.append("</figure>\n");
        }
        b.append("</div>\n");
        b.append("<table class=\"findings\"><thead><tr><th>verdict</th><th>severity</th><th>option</th><th>want</th>")
                .append("<th>found</th><th>why</th><th>bug classes</th><th>feature</th></tr></thead><tbody>\n");
        // Failures first, by severity, as in the text report; the filters then narrow this order.
        List<Finding> ordered = r.findings().stream().sorted(java.util.Comparator
                .comparingInt((Finding f) -> category(f)).thenComparing(f -> f.check().severity())).toList();
        for (Finding f : ordered) {
            String v = CATEGORIES.get(category(f));
            String bcs = String.join(" ", f.feature().bugClasses());
            String search = (f.check().option() + " " + f.feature().id() + " " + f.feature().title() + " "
                    + f.verdict().reason() + " " + f.check().id()).toLowerCase(Locale.ROOT);
            b.append("<tr class=\"finding v-").append(v).append("\" data-report=\"").append(index)
                    .append("\" data-verdict=\"").append(v).append("\" data-severity=\"").append(f.check().severity().id())
                    .append("\" data-bc=\"").append(esc(bcs)).append("\" data-text=\"").append(esc(search)).append("\">")
                    .append("<td><span class=\"badge\" style=\"background:").append(COLOURS.get(v)).append("\">")
                    .append(v.replace('_', ' ')).append("</span></td><td>").append(f.check().severity().id())
                    .append("</td><td><code>").append(esc(f.check().option())).append("</code></td><td><code>")
                    .append(esc(f.desired())).append("</code></td><td><code>")
                    .append(esc(f.actual() == null ? "-" : f.actual())).append("</code></td><td>")
                    .append(esc(f.verdict().reason())).append(f.waived() ? waiver(f.waiver()) : "").append("</td><td>").append(esc(bcs.replace(" ", ", ")))
                    .append("</td><td><a href=\"#feature-").append(esc(f.feature().id())).append("\">")
                    .append(esc(f.feature().id())).append("</a></td></tr>\n");
        }
        b.append("</tbody></table>\n</section>\n");
    }

    private static void explanations(StringBuilder b, Map<String, Feature> features, Catalog catalog) {
        b.append("<section id=\"explanations\"><h2>Explanations</h2>\n");
        for (Feature f : features.values()) {
            b.append("<article class=\"feature\" id=\"feature-").append(esc(f.id())).append("\"><h3>")
                    .append(esc(f.title())).append(" <small>").append(esc(f.id())).append("</small></h3><p><b>")
                    .append(esc(f.summary())).append("</b></p>");
            for (String para : f.explanation().split("\n\n")) {
                b.append("<p>").append(esc(para)).append("</p>");
            }
            b.append("<dl>");
            for (Map.Entry<String, String> e : FeatureText.facts(f, catalog)) {
                b.append("<dt>").append(esc(e.getKey())).append("</dt><dd>").append(esc(e.getValue())).append("</dd>");
            }
            f.profiles().forEach((p, why) -> b.append("<dt>Profile ").append(esc(p)).append("</dt><dd>").append(esc(why)).append("</dd>"));
            if (!f.references().isEmpty()) {
                b.append("<dt>References</dt><dd>").append(esc(String.join("; ", f.references()))).append("</dd>");
            }
            b.append("</dl><p class=\"back\"><a href=\"#filters\">back to the findings</a></p></article>\n");
        }
        b.append("</section>\n");
    }

    /** Counts per verdict, in {@link #COLOURS} order. */
    private static long[] counts(List<Finding> findings) {
        long[] c = new long[COLOURS.size()];
        for (Finding f : findings) {
            c[category(f)]++;
        }
        return c;
    }

    private static final List<String> CATEGORIES = List.copyOf(COLOURS.keySet());

    /** A finding's place in {@link #COLOURS}: its verdict, or "waived" for an accepted failure. */
    private static int category(Finding f) {
        if (f.waived()) {
            return CATEGORIES.indexOf("waived");
        }
        return CATEGORIES.indexOf(f.verdict().id());
    }

    private static String waiver(Finding.Waiver w) {
        return " <em class=\"waiver\">Waived: " + esc(w.reason()) + (w.expires() == null ? "" : " (until " + w.expires() + ")")
                + (w.source() == null ? "" : " [" + esc(w.source()) + "]") + "</em>";
    }

    /** Escapes text for HTML element content and double-quoted attributes. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static final String CSS = """
            :root{font-family:system-ui,sans-serif;color:#1f2328;background:#fff}
            body{margin:0 auto;max-width:80rem;padding:1rem 2rem}
            h1{font-size:1.5rem;margin:.5rem 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
            header p,.meta{color:#59636e}
            #filters{position:sticky;top:0;background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;
             display:flex;flex-wrap:wrap;gap:1rem;align-items:center;z-index:1}
            #filters fieldset{border:0;margin:0;padding:0;display:flex;gap:.6rem}#filters legend{float:left;margin-right:.4rem}
            .dot{display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin:0 .25rem}
            #count{margin-left:auto}
            .charts{display:flex;flex-wrap:wrap;gap:1.5rem}.charts figure{margin:0;flex:1 1 26rem}
            figcaption{font-weight:600;margin-bottom:.3rem}
            svg text{font-size:12px;fill:#1f2328}svg .bar{cursor:pointer}
            table.findings{border-collapse:collapse;width:100%;margin-top:1rem;font-size:.9rem}
            .findings th,.findings td{border-bottom:1px solid #d0d7de;padding:.3rem .4rem;text-align:left;vertical-align:top}
            .findings th{background:#f6f8fa;position:sticky;top:3.2rem}
            .badge{color:#fff;border-radius:1rem;padding:0 .5rem;white-space:nowrap;font-size:.8rem}
            code{font-size:.85rem;word-break:break-all}.error{color:#cf222e;font-weight:600}
            article.feature{border:1px solid #d0d7de;border-radius:6px;padding:0 1rem;margin:1rem 0}
            article.feature:target{outline:3px solid #0969da}
            dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
            small{color:#59636e;font-weight:400}
            @media (prefers-color-scheme:dark){:root{color:#e6edf3;background:#0d1117}#filters,.findings th{background:#161b22}
             svg text{fill:#e6edf3}header p,.meta,small{color:#9198a1}}
            """;

    private static final String SCRIPT = """
            (function(){
              const $ = s => document.querySelector(s);
              const boxes = [...document.querySelectorAll('#filters input[name=verdict]')];
              const rows = [...document.querySelectorAll('tr.finding')];
              function apply(){
                const verdicts = new Set(boxes.filter(b => b.checked).map(b => b.value));
                const sev = $('#f-severity').value, bc = $('#f-bc').value, q = $('#f-text').value.trim().toLowerCase();
                const rep = $('#f-report') ? $('#f-report').value : '';
                let shown = 0;
                for (const tr of rows) {
                  const ok = verdicts.has(tr.dataset.verdict) && (!sev || tr.dataset.severity === sev)
                    && (!bc || tr.dataset.bc.split(' ').includes(bc)) && (!q || tr.dataset.text.includes(q))
                    && (!rep || tr.dataset.report === rep);
                  tr.hidden = !ok;
                  if (ok) shown++;
                }
                for (const s of document.querySelectorAll('section.report')) s.hidden = !!rep && s.dataset.report !== rep;
                $('#shown').textContent = shown;
              }
              document.querySelectorAll('#filters input, #filters select').forEach(e => {
                e.addEventListener('input', apply);
                e.addEventListener('change', apply);
              });
              document.querySelectorAll('svg .bar[data-key]').forEach(g => g.addEventListener('click', () => {
                const id = g.dataset.key.split(' ')[0];
                if ([...$('#f-bc').options].some(o => o.value === id)) { $('#f-bc').value = id; apply(); }
              }));
              apply();
            })();
            """;
}
