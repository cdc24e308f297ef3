package dev.kharden.cli;

import dev.kharden.catalog.BugClass;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;
import dev.kharden.kernel.Arch;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `kharden explain`: one feature's full documentation, found by id, check id or option name. */
@Command(
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        name = "explain",
        header = "Explain one hardening feature in full.",
        description = {
            "Explain a hardening feature: what it does, the bug classes it defends against, where it",
            "comes from, when it landed, what it costs and breaks, and what each profile expects.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden explain stackprotector-strong",
            "  kharden explain CONFIG_INIT_ON_FREE_DEFAULT_ON     # or INIT_ON_FREE_DEFAULT_ON",
            "  kharden explain kernel.kptr_restrict --format json"
        })
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID-OR-OPTION", description = "Feature id, check id, CONFIG_ option, boot parameter or sysctl key.")
    String query;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    Format format;

    @Override
    public Integer call() {
        Args.textOrJson(format, "explain");
        Catalog catalog = CatalogLoader.load();
        List<Feature> found = catalog.lookup(query);
        if (found.isEmpty()) {
            List<String> near = near(catalog, query);
            throw new UsageException("nothing in the catalogue matches '" + query + "'", near.isEmpty()
                    ? "try 'kharden catalog' for the list of features"
                    : "did you mean " + String.join(", ", near) + "?");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            FeatureJson.document("kharden-explain/1", found, out);
            return ExitCodes.OK;
        }
        for (Feature f : found) {
            text(catalog, f, out);
        }
        return ExitCodes.OK;
    }

    private static void text(Catalog catalog, Feature f, PrintWriter out) {
        out.println(f.title() + "  (" + f.id() + ")");
        out.println("  " + f.summary());
        out.println();
        wrap(f.explanation(), out);
        out.println();
        out.println("Defends against:");
        for (String id : f.bugClasses()) {
            BugClass bc = catalog.bugClasses().get(id);
            out.println("  " + id + " " + bc.name() + (bc.cwe().isEmpty() ? "" : " (CWE-"
                    + bc.cwe().stream().map(String::valueOf).collect(Collectors.joining(", CWE-")) + ")"));
        }
        out.println("Origin:        " + f.origin() + (f.origin().notes() == null ? "" : "; " + f.origin().notes()));
        out.println("Landed in:     " + (f.since() == null ? "not established" : "Linux " + f.since()));
        out.println("Architectures: " + (f.arch().isEmpty() ? "all" : f.arch().stream().map(Arch::id).sorted()
                .collect(Collectors.joining(", "))));
        out.println("Cost:          " + (f.cost() == null ? "not established" : f.cost()));
        out.println("Can break:     " + (f.breaks() == null ? "not established" : f.breaks()));
        if (!f.profiles().isEmpty()) {
            out.println("Profiles:");
            for (Map.Entry<String, String> e : f.profiles().entrySet()) {
                out.println("  " + e.getKey() + ": " + e.getValue());
            }
        }
        if (!f.checks().isEmpty()) {
            out.println("Checks:");
            for (Check c : f.checks()) {
                out.println("  " + c.id() + "  " + c.option() + " " + c.expect()
                        + (c.arch().isEmpty() ? "" : "  [" + c.arch().stream().map(Arch::id).sorted().collect(Collectors.joining(",")) + "]"));
                c.anyOf().forEach(e -> out.println("      or " + e));
                c.allOf().forEach(e -> out.println("      and " + e));
                c.requires().forEach(e -> out.println("      only when " + e));
                String per = catalog.profiles().keySet().stream()
                        .map(p -> p + (c.profiles().contains(p) ? " " + c.expectFor(p) : " -"))
                        .collect(Collectors.joining("; "));
                out.println("      profiles: " + per);
                if (c.parity() != null) {
                    out.println("      differs from kernel-hardening-checker: " + c.parity());
                }
            }
        }
        if (!f.references().isEmpty()) {
            out.println("References:");
            f.references().forEach(r -> out.println("  " + r));
        }
        out.println();
    }

    private static void wrap(String text, PrintWriter out) {
        for (String para : text.split("\n\n")) {
            StringBuilder line = new StringBuilder("  ");
            for (String word : para.split("\\s+")) {
                if (line.length() + word.length() > 98) {
                    out.println(line.toString().stripTrailing());
                    line = new StringBuilder("  ");
                }
                line.append(word).append(' ');
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /**
     * Up to five feature ids and check options that contain the query, or that it contains (ignoring
     * case and a CONFIG_ prefix): 'INIT_ON_FRE' suggests CONFIG_INIT_ON_FREE_DEFAULT_ON.
     */
    static List<String> near(Catalog catalog, String query) {
        String q = query.toLowerCase(java.util.Locale.ROOT).replaceFirst("^config_", "");
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (q.length() < 3) {
            return List.of();
        }
        for (Feature f : catalog.features()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            names.add(f.id());
            f.checks().forEach(c -> names.add(c.option()));
            for (String n : names) {
                String m = n.toLowerCase(java.util.Locale.ROOT).replaceFirst("^config_", "");
                if ((m.contains(q) || q.contains(m) && m.length() >= 4) && out.size() < 5) {
                    out.add(n);
                }
            }
        }
        return List.copyOf(out);
    }
}
