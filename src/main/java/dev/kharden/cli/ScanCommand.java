package dev.kharden.cli;

import dev.kharden.scan.FileResult;
import dev.kharden.scan.Finding;
import dev.kharden.scan.FixDiff;
import dev.kharden.scan.KernelVersion;
import dev.kharden.scan.ParserUnavailableException;
import dev.kharden.scan.Rule;
import dev.kharden.scan.ScanOptions;
import dev.kharden.scan.ScanReport;
import dev.kharden.scan.TreeScan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kharden scan}: finds open-coded size arithmetic in C sources and suggests the safe helper. */
@Command(
        addMethodSubcommands = false,
        name = "scan",
        header = "Find wrap-prone size arithmetic in allocator and copy calls of C sources.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Find allocator and copy calls whose size argument does arithmetic that can wrap "
                    + "(kmalloc(n * sizeof(*p), ...), sizeof(*p) + n * sizeof(p->item[0]), a * b * c), "
                    + "the sweep the kernel made in 2018, for any C tree: no build, no .config.",
            "Each finding names file:line:column, the rule, the expression and the safe helper for the "
                    + "target kernel (kmalloc_array/kcalloc, array_size, array3_size, struct_size, "
                    + "size_add/size_mul from 5.18, kmalloc_objs/kmalloc_flex from 7.0), with the rewritten call.",
            "Products of literals and sizeof only are exempt (Documentation/process/deprecated.rst). "
                    + "ALL_CAPS names count as run-time values, as in the 2018 sweep, unless --macros-as-constants. "
                    + "Rules and policy: docs/scan.md.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden scan drivers/net/ethernet/acme",
            "  kharden scan --kernel-version 5.10 --format sarif -o scan.sarif .",
            "  kharden scan --fix acme.diff drivers/acme; patch -p1 < acme.diff",
            "  kharden scan --format json linux-4.17 > sweep.json",
            "  kharden scan --macros-as-constants drivers/acme     # MAX_X * sizeof(x) is exempt",
            "",
            "Exit codes: 0 no findings, 1 findings, 2 usage error or a file that could not be read,",
            "3 internal error."
        })
public final class ScanCommand implements Callable<Integer> {
    enum Format { text, json, sarif }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "C files or folders to scan (folders: every .c and .h below, links not followed).")
    List<Path> paths;

    @Option(names = "--kernel-version", paramLabel = "V",
            description = "Kernel the suggestions must compile on (e.g. 5.10, v6.1). "
                    + "Default: read from PATH's top Makefile when PATH is a kernel tree, else "
                    + "6.12.")
    String kernelVersion;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
            description = "text (grouped by file), json (schema kharden-scan/1) or sarif (SARIF 2.1.0). "
                    + "Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE (atomically) instead of standard output.")
    Path output;

    @Option(names = "--fix", arity = "0..1", paramLabel = "FILE", fallbackValue = "-",
            description = "Write the suggested rewrites as a unified diff (apply with patch -p1) to FILE, or "
                    + "to standard output when no FILE is given (the report then goes to standard error "
                    + "as a summary). Files are never edited in place.")
    String fix;

    @Option(names = "--macros-as-constants",
            description = "Treat ALL_CAPS identifiers as compile-time constants, so MAX_X * sizeof(x) is exempt "
                    + "(default: run-time values, as the 2018 sweep did: a macro can hide a variable, and "
                    + "struct_size/array_size are the clearer spelling either way).")
    boolean macrosAsConstants;

    @Option(names = "--no-macro-bodies", negatable = false,
            description = "Do not scan the bodies of #define'd macros (scanned by default; their "
                    + "parameters count as run-time values).")
    boolean noMacroBodies;

    @Option(names = "--no-wrappers", negatable = false,
            description = "Do not scan driver-local wrappers named like allocators (rvmalloc, "
                    + "foo_kzalloc); scanned by default.")
    boolean noWrappers;

    @Option(names = "--rules", split = ",", paramLabel = "ID",
            description = "Only these rules (comma-separated): alloc-mul, alloc-mul3, alloc-struct, alloc-sum, "
                    + "alloc-count-mul, realloc-mul, copy-mul. Default: all.")
    List<String> rules;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Parse N files at once. Default: the number of processors.")
    Integer jobs;

    @Option(names = "--max-file-size", paramLabel = "BYTES", defaultValue = "4194304",
            description = "Skip (and report) files larger than this. Default: ${DEFAULT-VALUE}.")
    long maxFileSize;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show progress on standard error when it is a terminal and the tree is big "
                    + "(--no-progress to silence).")
    boolean progress;

    @Override
    public Integer call() {
        if (Args.isDash(output)) {
            output = null; // standard output, as without -o
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String source = "option";
        KernelVersion version;
        if (kernelVersion != null) {
            version = KernelVersion.parse(kernelVersion).orElseThrow(() -> new UsageException(
                    "--kernel-version " + kernelVersion + " is not a kernel version", "write it as 6.1 or v5.10"));
        } else {
            Optional<KernelVersion> tree = paths.size() == 1 ? KernelVersion.ofTree(paths.get(0)) : Optional.empty();
            version = tree.orElse(KernelVersion.DEFAULT);
            source = tree.isPresent() ? "tree" : "default";
        }
        Set<Rule> selected = EnumSet.noneOf(Rule.class);
        if (rules != null) {
            for (String id : rules) {
                selected.add(Rule.byId(id.strip()).orElseThrow(() -> new UsageException(
                        "unknown rule '" + id + "'", "kharden scan --help lists the rule ids")));
            }
        }
        if (maxFileSize <= 0) {
            throw new UsageException("--max-file-size must be positive");
        }
        ScanOptions options = new ScanOptions(version, !macrosAsConstants, !noMacroBodies, !noWrappers, selected,
                maxFileSize, ScanOptions.DEFAULT_PARSE_MILLIS);
        int threads = Args.jobs(jobs, Runtime.getRuntime().availableProcessors());

        if (fix != null && !fix.equals("-")) {
            refuseSourceTarget("--fix", Path.of(fix));
            if (output != null && Path.of(fix).toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
                throw new UsageException("-o and --fix name the same file, " + output + ": one would overwrite the other",
                        "write the report and the diff to two files");
            }
        }
        if (output != null) {
            refuseSourceTarget("-o", output);
        }

        long t0 = System.nanoTime();
        List<FileResult> problems = new ArrayList<>();
        List<TreeScan.Source> sources = TreeScan.collect(paths, problems);
        Progress bar = new Progress(err, sources.size(), progress
                && TerminalProgress.stderrIsTerminal() && sources.size() >= 200);
        List<FileResult> results;
        try {
            results = new ArrayList<>(new TreeScan(options, threads).scan(sources, bar::update));
        } catch (ParserUnavailableException e) {
            throw new UsageException(e.getMessage(), e.hint());
        }
        bar.done();
        results.addAll(problems);
        ScanReport report = new ScanReport(options, source, results, System.nanoTime() - t0);

        if (fix != null) {
            byte[] diff = diff(sources, results);
            if (fix.equals("-")) {
                if (!isUtf8(diff)) {
                    err.println("kharden: warning: the diff touches files that are not UTF-8; write it with "
                            + "--fix FILE for a byte-exact copy");
                }
                out.print(new String(diff, java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                err.println(report.summary());
            } else {
                Terminal.writeAtomically(Path.of(fix), diff);
            }
        }
        if (fix == null || !fix.equals("-")) {
            String version0 = new VersionProvider().getVersion()[0];
            java.io.StringWriter sw = new java.io.StringWriter();
            switch (format) {
                case text -> report.text(sw);
                case json -> report.json(sw);
                case sarif -> report.sarif(sw, version0.split(" ")[1]);
                default -> throw new IllegalStateException();
            }
            if (output != null) {
                Terminal.writeAtomically(output, sw.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (format != Format.text) {
                    err.println(report.summary());
                }
            } else {
                out.print(sw);
                out.flush();
            }
        }
        if (report.count(FileResult.Status.ERROR) > 0) {
            return ExitCodes.USAGE;
        }
        return report.findings().isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    /**
     * Refuses an output file that is a C source, a folder or one of the paths scanned: --fix takes an
     * optional FILE, so {@code scan --fix a.c b.c} reads a.c as the diff's file, and writing it would
     * replace a source with a patch.
     */
    private void refuseSourceTarget(String option, Path target) {
        String name = target.getFileName() == null ? "" : target.getFileName().toString();
        String hint = option.equals("--fix")
                ? "--fix takes the file to write the diff to; to print the diff, put --fix after the paths or write --fix -"
                : "-o takes the file to write the report to";
        if (Files.isDirectory(target)) {
            throw new UsageException(option + " " + target + ": is a folder, not a file to write", hint);
        }
        boolean scanned = Args.isAnyOf(target, paths);
        if (scanned || name.endsWith(".c") || name.endsWith(".h")) {
            throw new UsageException(option + " " + target + ": would overwrite a C source"
                    + (scanned ? " that is being scanned" : "") + "; kharden never edits sources", hint);
        }
    }

    /** One diff for all files, paths relative to where patch -p1 will run (see --fix). */
    private static byte[] diff(List<TreeScan.Source> sources, List<FileResult> results) {
        Map<String, TreeScan.Source> byDisplay = new LinkedHashMap<>();
        for (TreeScan.Source s : sources) {
            byDisplay.put(s.display(), s);
        }
        Path cwd = Path.of("").toAbsolutePath();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (FileResult r : results) {
            List<Finding> withEdits = r.findings().stream().filter(f -> !f.edits().isEmpty()).toList();
            TreeScan.Source s = byDisplay.get(r.path());
            if (withEdits.isEmpty() || s == null) {
                continue;
            }
            Path abs = s.path().toAbsolutePath().normalize();
            Path rel = abs.startsWith(cwd) ? cwd.relativize(abs) : s.root().relativize(abs);
            try {
                all.writeBytes(FixDiff.forFile(rel.toString().replace(java.io.File.separatorChar, '/'),
                        Files.readAllBytes(s.path()), withEdits));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toByteArray();
    }

    /** Standard output is a UTF-8 text writer: only a UTF-8 diff survives it byte for byte. */
    private static boolean isUtf8(byte[] bytes) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    /** A one-line progress counter on a terminal, redrawn at most every 200 ms. */
    private static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final boolean on;
        private long last;

        Progress(PrintWriter err, int total, boolean on) {
            this.err = err;
            this.total = total;
            this.on = on;
        }

        synchronized void update(int done) {
            long now = System.nanoTime();
            if (on && now - last > 200_000_000L) {
                last = now;
                err.print("\rscanning: " + done + "/" + total + " files");
                err.flush();
            }
        }

        synchronized void done() {
            if (on) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
