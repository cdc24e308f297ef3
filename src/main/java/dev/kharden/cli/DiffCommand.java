package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.kharden.catalog.BugClass;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.diff.HardeningDiff;
import dev.kharden.diff.Side;
import dev.kharden.diff.SideReader;
import dev.kharden.kernel.Arch;
import dev.kharden.report.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `kharden diff`: hardening gained and lost between two kernels, by bug class, with an exit code CI can gate on. */
@Command(addMethodSubcommands = false, name = "diff", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Show hardening gained and lost between two kernels.",
        description = {
            "Show the hardening gained and lost between two kernels, grouped by the bug class it",
            "defends against. OLD and NEW are each a kernel config (audited under --profile) or a",
            "JSON report from 'kharden check --format json' (one input; its own profile applies).",
            "A check that passed and now fails (or is now waived) is lost; one that now passes is",
            "gained; one that passed and is now unknown is listed as unconfirmed.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden diff /boot/config-6.1.0 /boot/config-6.12.0",
            "  kharden diff --profile kspp old.config new.config --format json",
            "  kharden check --config a.config --format json -o a.json; kharden diff a.json b.config",
            "",
            "Exit codes: 0 nothing lost, 1 hardening lost, 2 usage or input error."
        })
public final class DiffCommand implements Callable<Integer> {
    static final String SCHEMA = "kharden-diff/1";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The earlier kernel: a .config (gzip ok) or a JSON report.")
    Path old;

    @Parameters(index = "1", paramLabel = "NEW", description = "The later kernel: a .config (gzip ok) or a JSON report.")
    Path now;

    @Option(names = {"-p", "--profile"}, paramLabel = "PROFILE", defaultValue = "server",
            description = "Profile configs are audited against (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture of configs that do not say.")
    String arch;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json (schema " + SCHEMA + ", see docs/diff.md).")
    Format format;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", description = "auto, always or never.")
    Terminal.ColorMode color;

    @Override
    public Integer call() {
        Args.textOrJson(format, "diff");
        Catalog catalog = CatalogLoader.load();
        Args.requireProfile(catalog, profile);
        Arch a = Args.arch(arch);
        Side before = SideReader.read(old, catalog, profile, a);
        Side after = SideReader.read(now, catalog, profile, a);
        PrintWriter err = spec.commandLine().getErr();
        if (!before.profile().equals(after.profile())) {
            err.println("kharden: warning: comparing profile " + before.profile() + " with profile " + after.profile());
        }
        HardeningDiff.Result d = HardeningDiff.compare(before, after);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            json(d, catalog, out);
        } else {
            text(d, catalog, Terminal.style(color, false), out);
        }
        out.flush();
        return d.lost().isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    /** Changes by bug class, in the catalogue's bug-class order. */
    private static Map<String, List<List<HardeningDiff.Change>>> groups(HardeningDiff.Result d, Catalog catalog) {
        List<String> order = new ArrayList<>(catalog.bugClasses().keySet());
        Map<String, List<List<HardeningDiff.Change>>> g = new TreeMap<>((x, y) -> Integer.compare(rank(order, x), rank(order, y)));
        List<List<HardeningDiff.Change>> kinds = List.of(d.gained(), d.lost(), d.unconfirmed());
        for (int k = 0; k < kinds.size(); k++) {
            for (HardeningDiff.Change c : kinds.get(k)) {
                g.computeIfAbsent(c.bugClass(), x -> List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>())).get(k).add(c);
            }
        }
        return g;
    }

    private static int rank(List<String> order, String id) {
        int i = order.indexOf(id);
        return i < 0 ? order.size() + id.hashCode() : i;
    }

    private static void text(HardeningDiff.Result d, Catalog catalog, Style s, PrintWriter out) {
        out.println(s.bold("kharden diff: " + d.old().label() + " -> " + d.now().label()) + " (profile " + d.now().profile() + ")");
        String[] marks = {s.green("+ gained "), s.red("- lost   "), s.yellow("? unconfirmed ")};
        groups(d, catalog).forEach((bc, kinds) -> {
            BugClass b = catalog.bugClasses().get(bc);
            out.println();
            out.println(s.bold(bc + " " + (b == null ? "" : b.name())));
            for (int k = 0; k < kinds.size(); k++) {
                for (HardeningDiff.Change c : kinds.get(k)) {
                    out.println("  " + marks[k] + c.any().option() + "  " + s.dim(verdict(c.before()) + " -> "
                            + verdict(c.after()) + "  [" + c.any().feature() + ", " + c.any().severity() + "]"));
                }
            }
        });
        out.println();
        String line = d.gained().size() + " gained, " + d.lost().size() + " lost, " + d.unconfirmed().size() + " unconfirmed";
        out.println(d.lost().isEmpty() ? s.green("OK") + " " + line : s.red("LOST") + " " + line);
    }

    private static String verdict(Side.Entry e) {
        return e == null ? "not checked" : e.verdict() + (e.actual() == null ? "" : " (" + e.actual() + ")");
    }

    private void json(HardeningDiff.Result d, Catalog catalog, PrintWriter w) {
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("old", d.old().label());
            g.writeStringField("new", d.now().label());
            g.writeStringField("profile", d.now().profile());
            g.writeObjectFieldStart("summary");
            g.writeNumberField("gained", d.gained().size());
            g.writeNumberField("lost", d.lost().size());
            g.writeNumberField("unconfirmed", d.unconfirmed().size());
            g.writeEndObject();
            g.writeArrayFieldStart("bugClasses");
            String[] names = {"gained", "lost", "unconfirmed"};
            for (Map.Entry<String, List<List<HardeningDiff.Change>>> e : groups(d, catalog).entrySet()) {
                g.writeStartObject();
                g.writeStringField("id", e.getKey());
                BugClass b = catalog.bugClasses().get(e.getKey());
                g.writeStringField("name", b == null ? null : b.name());
                for (int k = 0; k < names.length; k++) {
                    g.writeArrayFieldStart(names[k]);
                    for (HardeningDiff.Change c : e.getValue().get(k)) {
                        g.writeStartObject();
                        g.writeStringField("id", c.any().id());
                        g.writeStringField("option", c.any().option());
                        g.writeStringField("feature", c.any().feature());
                        g.writeStringField("severity", c.any().severity());
                        g.writeStringField("before", c.before() == null ? null : c.before().verdict());
                        g.writeStringField("after", c.after().verdict());
                        g.writeStringField("actualBefore", c.before() == null ? null : c.before().actual());
                        g.writeStringField("actualAfter", c.after().actual());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
