package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.docs.DefenceMap;
import dev.kharden.docs.ReferenceDocs;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `kharden docs`: generates the reference documentation (Markdown pages, bug-class index, defence map) from the catalogue. */
@Command(
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        name = "docs",
        header = "Generate the reference docs from the catalogue.",
        sortOptions = false,
        description = {
            "Generate the hardening reference from the catalogue: one Markdown page",
            "per feature (what, why, bug classes, origin and lineage, versions, cost,",
            "breakage, per-profile setting), an index by bug class (README.md), and",
            "the defence map as Graphviz DOT, plus SVG when 'dot' (Debian package",
            "graphviz) is installed.",
            "",
            "Files are written atomically and only when their content changed; feature",
            "pages that no longer match a feature are removed. --check writes nothing",
            "and fails when the folder is stale, for CI.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden docs --out docs/reference            # refresh the committed reference",
            "  kharden docs --out docs/reference --check    # CI: exit 1 when it is stale",
            "  kharden docs --out /tmp/ref --no-svg --format json",
            "",
            "Exit codes: 0 written or up to date, 1 stale (--check), 2 cannot write."
        })
public final class DocsCommand implements Callable<Integer> {
    private static final String SCHEMA = "kharden-docs/1";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write into (created if its parent exists).")
    Path out;

    @Option(names = "--check", description = "Write nothing; list stale files and exit 1 when the folder differs from the catalogue.")
    boolean check;

    @Option(names = "--no-svg", description = "Do not run 'dot' to draw defence-map.svg.")
    boolean noSvg;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json (schema " + SCHEMA + ").")
    Format format;

    @Override
    public Integer call() {
        Args.notStandardOutput("--out", out, "--out takes a folder for the reference pages", "name a folder");
        Args.textOrJson(format, "docs");
        // Everything is rendered before anything is written, so a failure leaves the folder as it was.
        Map<String, String> files = ReferenceDocs.generate(CatalogLoader.load(), DefenceMap.load());
        List<String> changed = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            (same(out.resolve(e.getKey()), e.getValue()) ? unchanged : changed).add(e.getKey());
        }
        List<String> removed = strayPages(files);
        String svg = null;
        if (!check) {
            prepare();
            for (String name : changed) {
                Path target = out.resolve(name);
                mkdirs(target.getParent());
                Terminal.writeAtomically(target, files.get(name).getBytes(StandardCharsets.UTF_8));
            }
            for (String name : removed) {
                try {
                    Files.deleteIfExists(out.resolve(name));
                } catch (IOException e) {
                    throw new UsageException("cannot remove stale page " + out.resolve(name) + ": " + e.getMessage());
                }
            }
            svg = noSvg ? "skipped (--no-svg)" : drawSvg(files.get("defence-map.dot"));
        }
        report(files.size(), changed, unchanged, removed, svg);
        return check && !(changed.isEmpty() && removed.isEmpty()) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private void report(int total, List<String> changed, List<String> unchanged, List<String> removed, String svg) {
        PrintWriter w = spec.commandLine().getOut();
        if (format == Format.json) {
            try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.setPrettyPrinter(new DefaultPrettyPrinter());
                g.writeStartObject();
                g.writeStringField("schema", SCHEMA);
                g.writeStringField("out", out.toString());
                g.writeBooleanField("check", check);
                g.writeBooleanField("upToDate", changed.isEmpty() && removed.isEmpty());
                g.writeFieldName(check ? "stale" : "written");
                g.writeArray(changed.toArray(String[]::new), 0, changed.size());
                g.writeFieldName("unchanged");
                g.writeArray(unchanged.toArray(String[]::new), 0, unchanged.size());
                g.writeFieldName(check ? "extra" : "removed");
                g.writeArray(removed.toArray(String[]::new), 0, removed.size());
                g.writeStringField("svg", svg);
                g.writeEndObject();
                g.writeRaw('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else if (check) {
            if (changed.isEmpty() && removed.isEmpty()) {
                w.println(out + ": up to date (" + total + " files)");
            } else {
                changed.forEach(n -> w.println("stale: " + out.resolve(n)));
                removed.forEach(n -> w.println("extra: " + out.resolve(n)));
                w.println(out + " is stale: run 'kharden docs --out " + out + "' to refresh it");
            }
        } else {
            w.println(out + ": " + changed.size() + " written, " + unchanged.size() + " unchanged, " + removed.size()
                    + " removed; defence-map.svg " + svg);
        }
        w.flush();
    }

    private static boolean same(Path file, String content) {
        try {
            return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        }
    }

    /** Generated feature pages whose feature is gone (only *.md under features/, which this command owns). */
    private List<String> strayPages(Map<String, String> files) {
        Path dir = out.resolve("features");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> "features/" + p.getFileName()).filter(n -> n.endsWith(".md") && !files.containsKey(n)).sorted().toList();
        } catch (IOException e) {
            throw new UsageException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private void prepare() {
        Path parent = out.toAbsolutePath().getParent();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("cannot write " + out + ": it is a file, not a folder");
        }
        if (!Files.isDirectory(out) && (parent == null || !Files.isDirectory(parent))) {
            throw new UsageException("cannot write " + out + ": " + parent
                    + (parent != null && Files.exists(parent) ? " is not a folder" : " does not exist"));
        }
        if (Files.isDirectory(out) && !isEmpty(out) && !ReferenceDocs.isGenerated(out.resolve("README.md"))) {
            // Refreshing replaces README.md and every features/*.md, and removes pages no feature has
            // any more: only in a folder kharden docs made (its README.md carries the banner).
            throw new UsageException("cannot write " + out + ": it is not empty, and not a reference kharden docs made "
                    + "(no generated README.md); refusing to replace or remove pages in it", "give a new or empty folder");
        }
        mkdirs(out);
        if (!Files.isWritable(out)) {
            throw new UsageException("cannot write " + out + ": permission denied");
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false; // unreadable: the write reports it
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UsageException("cannot create folder " + dir + ": "
                    + (Files.exists(dir) && !Files.isDirectory(dir) ? "a file of that name is in the way" : e.getMessage()));
        }
    }

    /** Runs Graphviz on the DOT text; says why not when it cannot. */
    private String drawSvg(String dot) {
        Path exe = onPath("dot");
        if (exe == null) {
            spec.commandLine().getErr().println("kharden: 'dot' not found: defence-map.svg not drawn (install Debian's graphviz)");
            return "skipped (dot not installed)";
        }
        try {
            Process p = new ProcessBuilder(exe.toString(), "-Tsvg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(dot.getBytes(StandardCharsets.UTF_8));
            }
            byte[] svg;
            try (InputStream res = p.getInputStream()) {
                svg = res.readAllBytes();
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || svg.length == 0) {
                p.destroyForcibly();
                spec.commandLine().getErr().println("kharden: dot failed: defence-map.svg not drawn");
                return "skipped (dot failed)";
            }
            Terminal.writeAtomically(out.resolve("defence-map.svg"), svg);
            return "drawn";
        } catch (IOException e) {
            spec.commandLine().getErr().println("kharden: cannot run dot: " + e.getMessage());
            return "skipped (dot failed)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "skipped (interrupted)";
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
