package dev.kharden.cli;

import dev.kharden.catalog.BugClass;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.catalog.Feature;
import dev.kharden.kernel.Arch;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `kharden catalog`: lists and filters the hardening features of the catalogue. */
@Command(
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        name = "catalog",
        header = "List and filter the hardening catalogue.",
        sortOptions = false,
        description = {
            "List hardening features, filtered by bug class, origin, profile, check type or architecture.",
            "Filters combine (all must match). 'kharden explain ID' shows one feature in full.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden catalog                          # every feature, one line each",
            "  kharden catalog --bug-class BC06         # defences against use-after-free",
            "  kharden catalog --origin PaX --type kconfig",
            "  kharden catalog --profile handset --format json",
            "  kharden catalog --bug-classes            # the bug-class taxonomy itself"
        })
public final class CatalogCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--bug-class", paramLabel = "ID|NAME", description = "Bug class id (BC06) or words of its name (use-after-free).")
    String bugClass;

    @Option(names = "--origin", paramLabel = "WORD", description = "Lineage or PaX/grsecurity name containing WORD (PaX, grsecurity, KSPP, CLIP OS, upstream...).")
    String origin;

    @Option(names = {"-p", "--profile"}, paramLabel = "PROFILE", description = "Only features with a check this profile requires.")
    String profile;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only features with checks of this type: kconfig, cmdline, sysctl, runtime.")
    String type;

    @Option(names = "--arch", paramLabel = "ARCH", description = "Only features that exist on this architecture.")
    String arch;

    @Option(names = "--bug-classes", description = "List the bug classes instead of features.")
    boolean listBugClasses;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    Format format;

    @Override
    public Integer call() {
        Args.textOrJson(format, "catalog");
        Catalog catalog = CatalogLoader.load();
        Args.requireProfile(catalog, profile);
        Arch a = Args.arch(arch);
        PrintWriter out = spec.commandLine().getOut();
        if (listBugClasses) {
            return bugClasses(catalog, format == Format.json, out);
        }
        if (type != null && java.util.Arrays.stream(dev.kharden.catalog.OptionType.values()).noneMatch(t -> t.id().equals(type))) {
            throw new UsageException("unknown --type '" + type + "'", "one of kconfig, cmdline, sysctl, runtime");
        }
        if (bugClass != null && bugClass.isBlank()) {
            throw new UsageException("--bug-class needs an id (BC06) or words of a name", "see 'kharden catalog --bug-classes'");
        }
        List<String> classes = bugClass == null ? null : matchBugClasses(catalog, bugClass);
        List<Feature> selected = catalog.features().stream()
                .filter(f -> classes == null || f.bugClasses().stream().anyMatch(classes::contains))
                .filter(f -> origin == null || (f.origin().toString()).toLowerCase(Locale.ROOT)
                        .contains(origin.toLowerCase(Locale.ROOT)))
                .filter(f -> profile == null || f.checks().stream().anyMatch(c -> c.profiles().contains(profile)))
                .filter(f -> type == null || f.checks().stream().anyMatch(c -> c.type().id().equals(type)))
                .filter(f -> a == null || f.arch().isEmpty() || f.arch().contains(a))
                .toList();
        if (format == Format.json) {
            FeatureJson.document("kharden-catalog-list/1", selected, out);
        } else {
            for (Feature f : selected) {
                out.printf("%-34s %-16s %s%n", f.id(), String.join(",", f.bugClasses()), f.summary());
            }
            int checks = selected.stream().mapToInt(f -> f.checks().size()).sum();
            long required = profile == null ? checks : selected.stream().flatMap(f -> f.checks().stream())
                    .filter(c -> c.profiles().contains(profile)).count();
            out.println(selected.size() + " of " + catalog.features().size() + " features, " + checks + " checks"
                    + (profile == null ? "" : ", " + required + " of them required by " + profile));
        }
        return ExitCodes.OK;
    }

    private static List<String> matchBugClasses(Catalog catalog, String query) {
        String q = query.toLowerCase(Locale.ROOT).replace('-', ' ');
        List<String> ids = catalog.bugClasses().values().stream()
                .filter(b -> b.id().equalsIgnoreCase(query) || b.name().toLowerCase(Locale.ROOT).replace('-', ' ').contains(q))
                .map(b -> b.id()).toList();
        if (ids.isEmpty()) {
            throw new UsageException("no bug class matches '" + query + "'", "see 'kharden catalog --bug-classes'");
        }
        return ids;
    }

    private static int bugClasses(Catalog catalog, boolean json, PrintWriter out) {
        if (!json) {
            catalog.bugClasses().values().forEach(b -> {
                long n = catalog.features().stream().filter(f -> f.bugClasses().contains(b.id())).count();
                out.printf("%-5s %-58s %3d features  CWE %s%n", b.id(), b.name(), n, b.cwe());
            });
            return ExitCodes.OK;
        }
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("schema", "kharden-bug-classes/1");
            g.writeArrayFieldStart("bugClasses");
            for (BugClass b : catalog.bugClasses().values()) {
                g.writeStartObject();
                g.writeStringField("id", b.id());
                g.writeStringField("name", b.name());
                g.writeStringField("definition", b.definition());
                g.writeArrayFieldStart("cwe");
                for (int c : b.cwe()) {
                    g.writeNumber(c);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("features");
                for (Feature f : catalog.features()) {
                    if (f.bugClasses().contains(b.id())) {
                        g.writeString(f.id());
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ExitCodes.OK;
    }
}
