package dev.kharden.report;

import dev.kharden.catalog.BugClass;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;
import dev.kharden.kernel.Arch;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders one catalogue feature's documentation (what, why, bug classes, origin, versions, cost,
 * breakage, per-profile setting) as plain text or Markdown: the SARIF rule help, the HTML
 * explanations and the generated reference pages all say the same thing from the same data.
 * Unknown facts are written as "not established", never guessed.
 */
public final class FeatureText {
    static final String UNKNOWN = "not established";

    private FeatureText() {
    }

    /** The facts as label/value rows, in reading order. */
    public static List<Map.Entry<String, String>> facts(Feature f, Catalog catalog) {
        return List.of(
                Map.entry("Defends against", bugClasses(f, catalog)),
                Map.entry("Origin", f.origin().toString() + (f.origin().notes() == null ? "" : "; " + f.origin().notes())),
                Map.entry("Landed in", f.since() == null ? UNKNOWN : "Linux " + f.since()),
                Map.entry("Architectures", f.arch().isEmpty() ? "all"
                        : f.arch().stream().map(Arch::id).sorted().collect(Collectors.joining(", "))),
                Map.entry("Cost", f.cost() == null ? UNKNOWN : f.cost()),
                Map.entry("Can break", f.breaks() == null ? UNKNOWN : f.breaks()));
    }

    public static String bugClasses(Feature f, Catalog catalog) {
        return f.bugClasses().stream().map(id -> {
            BugClass bc = catalog.bugClasses().get(id);
            return bc == null ? id : id + " " + bc.name();
        }).collect(Collectors.joining(", "));
    }

    /** One check's expectation per profile: "kspp y; server y; developer -" ("-": not required). */
    public static String perProfile(Check c, Catalog catalog) {
        return catalog.profiles().keySet().stream()
                .map(p -> p + " " + (c.profiles().contains(p) ? c.expectFor(p).toString() : "-"))
                .collect(Collectors.joining("; "));
    }

    public static String plain(Feature f, Catalog catalog) {
        StringBuilder b = new StringBuilder();
        b.append(f.title()).append(": ").append(f.summary()).append("\n\n").append(f.explanation()).append("\n\n");
        for (Map.Entry<String, String> e : facts(f, catalog)) {
            b.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        for (Map.Entry<String, String> e : f.profiles().entrySet()) {
            b.append("Profile ").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        if (!f.references().isEmpty()) {
            b.append("References: ").append(String.join("; ", f.references())).append('\n');
        }
        b.append("More: kharden explain ").append(f.id()).append('\n');
        return b.toString();
    }

    public static String markdown(Feature f, Catalog catalog) {
        StringBuilder b = new StringBuilder();
        b.append("**").append(md(f.title())).append("**: ").append(md(f.summary())).append("\n\n");
        b.append(md(f.explanation())).append("\n\n");
        for (Map.Entry<String, String> e : facts(f, catalog)) {
            b.append("- **").append(e.getKey()).append("**: ").append(md(e.getValue())).append('\n');
        }
        if (!f.profiles().isEmpty()) {
            b.append("\n| profile | why |\n|---|---|\n");
            for (Map.Entry<String, String> e : f.profiles().entrySet()) {
                b.append("| ").append(e.getKey()).append(" | ").append(cell(e.getValue())).append(" |\n");
            }
        }
        if (!f.checks().isEmpty()) {
            b.append("\n| check | option | per profile |\n|---|---|---|\n");
            for (Check c : f.checks()) {
                b.append("| `").append(c.id()).append("` | `").append(c.option()).append("` | ")
                        .append(cell(perProfile(c, catalog))).append(" |\n");
            }
        }
        if (!f.references().isEmpty()) {
            b.append("\nReferences:\n\n");
            f.references().forEach(r -> b.append("- ").append(reference(r)).append('\n'));
        }
        return b.toString();
    }

    /** A reference as Markdown: URLs as autolinks (escaping would break them), anything else escaped. */
    public static String reference(String r) {
        return r.matches("https?://\\S+") ? "<" + r + ">" : md(r);
    }

    /** Escapes what Markdown would otherwise read as markup in catalogue prose. */
    public static String md(String s) {
        return s.replace("\\", "\\\\").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_");
    }

    /** A table cell: Markdown-escaped, pipes escaped, on one line. */
    public static String cell(String s) {
        return md(s).replace("|", "\\|").replace("\n", " ");
    }
}
