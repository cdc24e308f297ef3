package dev.kharden.cli;

import dev.kharden.age.AgeKeys;
import dev.kharden.age.Identity;
import dev.kharden.input.InputException;
import dev.kharden.seal.Bundle;
import dev.kharden.seal.BundleReader;
import dev.kharden.input.TextSource;
import dev.kharden.symbolize.AnnotatedText;
import dev.kharden.symbolize.KernelSymbols;
import dev.kharden.symbolize.ModuleList;
import dev.kharden.symbolize.OopsParser;
import dev.kharden.symbolize.OopsReport;
import dev.kharden.symbolize.SymbolSources;
import dev.kharden.symbolize.SymbolTable;
import dev.kharden.symbolize.SymbolizeJson;
import dev.kharden.symbolize.Symbolizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kharden symbolize}: annotates an oops with symbols and flags frames from another kernel. */
@Command(
        addMethodSubcommands = false,
        name = "symbolize",
        header = "Decode an oops: annotate raw addresses with symbol+offset.",
        mixinStandardHelpOptions = true,
        description = {
            "Decode a kernel oops/WARN/BUG/panic log: every raw kernel address, register value and stack word"
                    + " that points into kernel or module text is annotated as (symbol+0xoff/0xsize [module]),"
                    + " and every symbolic frame is checked against the symbols (a frame that disagrees means"
                    + " the symbols are from another kernel build or another boot).",
            "",
            "The log is read as pasted: dmesg timestamps, dmesg -H stamps, journalctl/syslog prefixes,"
                    + " x86-64, i386 and arm64 formats old and new. The KASLR offset is taken from"
                    + " --kaslr-offset, else _text in --kallsyms against --system-map, else the log's"
                    + " 'Kernel Offset:' line, else raw frame addresses against --system-map.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden symbolize --bundle crash.age -i support.key        # the sealed oops, symbols from the bundle",
            "  kharden symbolize --kallsyms kallsyms.txt --modules modules.txt oops.txt",
            "  dmesg | kharden symbolize --system-map /boot/System.map-$(uname -r) -",
            "  kharden symbolize --system-map System.map --kaslr-offset 0x1a000000 --format json oops.txt",
            "",
            "Exit codes: 0 symbolized; 1 some frame disagrees with the symbols (wrong kernel?);"
                    + " 2 usage error or unreadable input; 3 internal error."
        })
public final class SymbolizeCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", paramLabel = "BUNDLE",
            description = "A sealed bundle (kharden seal): its kallsyms, /proc/modules and module section"
                    + " addresses are used, decrypted in memory only; its oops reports are symbolized when no"
                    + " OOPS-FILE is given. Needs -i.")
    Path bundle;

    @Option(names = {"-i", "--identity"}, paramLabel = "IDENTITY",
            description = "An age identity file that opens --bundle (kharden keygen or age-keygen output). Repeatable.")
    List<Path> identityFiles = new ArrayList<>();

    @Option(names = "--kallsyms", paramLabel = "FILE",
            description = "A copy of /proc/kallsyms from the crashed machine, read as root (runtime addresses,"
                    + " module symbols included). Plain or gzip.")
    Path kallsyms;

    @Option(names = "--system-map", paramLabel = "FILE",
            description = "The kernel's System.map (link-time addresses, core kernel only). With --kallsyms it"
                    + " only serves to compute the KASLR offset.")
    Path systemMap;

    @Option(names = "--kaslr-offset", paramLabel = "HEX",
            description = "The KASLR offset to add to System.map addresses, e.g. 0x1a000000 (the value of the"
                    + " 'Kernel Offset:' line). Default: worked out as described above.")
    String kaslrOffset;

    @Option(names = "--modules", paramLabel = "FILE",
            description = "A copy of /proc/modules read as root: places modules in memory, so addresses in a"
                    + " module are attributed to it even without module symbols.")
    Path modules;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (the annotated log; a summary goes to standard error) or json"
                    + " (schema " + SymbolizeJson.SYMBOLIZE_SCHEMA + "). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Parameters(index = "0", arity = "0..1", paramLabel = "OOPS-FILE",
            description = "The log to symbolize; '-' reads standard input (the default, except with --bundle,"
                    + " where the bundle's own oops reports are the default).")
    String log;

    @Override
    public Integer call() {
        if (kallsyms == null && systemMap == null && bundle == null) {
            throw new UsageException("no symbols given", "give --bundle BUNDLE -i IDENTITY, --kallsyms FILE"
                    + " (a /proc/kallsyms copy) or --system-map FILE [--kaslr-offset HEX]");
        }
        if (bundle != null && (kallsyms != null || modules != null)) {
            throw new UsageException("--bundle brings its own kallsyms and modules", "drop --kallsyms/--modules");
        }
        if (bundle != null && identityFiles.isEmpty()) {
            throw new UsageException("--bundle needs the identity that opens it", "add -i support.key");
        }
        Bundle opened = null;
        if (bundle != null) {
            List<Identity> ids = new ArrayList<>();
            for (Path f : identityFiles) {
                ids.addAll(AgeKeys.readIdentities(f));
            }
            opened = BundleReader.open(bundle, ids);
        }
        TextSource logText;
        if (log == null && opened != null) {
            byte[] oops = opened.entry(Bundle.OOPS).orElse(new byte[0]);
            if (new String(oops, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank()) {
                // rather than wait on standard input, which is what a terminal would seem to do
                throw new UsageException("the bundle " + bundle + " holds no oops, WARN or BUG report to decode",
                        "name the log to decode after the options (a file, or - for standard input)");
            }
            logText = TextSource.fromBytes(bundle + ":" + Bundle.OOPS, oops);
        } else {
            logText = readLog(log == null ? "-" : log, System.in);
        }
        OopsReport report = OopsParser.parse(logText);
        SymbolTable ks = kallsyms == null ? null : SymbolTable.read(kallsyms, SymbolTable.Format.KALLSYMS);
        SymbolTable map = systemMap == null ? null : SymbolTable.read(systemMap, SymbolTable.Format.SYSTEM_MAP);
        ModuleList mods = modules == null ? ModuleList.empty()
                : ModuleList.readProcModules(modules.toString(), TextSource.read(modules).lines());
        if (opened != null) {
            byte[] sym = opened.entry(Bundle.KALLSYMS).orElseThrow(() -> InputException.ofFile(bundle.toString(),
                    "holds no kallsyms (sealed without read access to /proc/kallsyms?); see unseal --list"));
            ks = SymbolTable.read(bundle + ":" + Bundle.KALLSYMS, sym, SymbolTable.Format.KALLSYMS);
            mods = opened.entry(Bundle.MODULES).map(b -> ModuleList.readProcModules(bundle + ":" + Bundle.MODULES,
                    TextSource.fromBytes(Bundle.MODULES, b).lines())).orElse(ModuleList.empty());
            mods = mods.withSections(sections(opened.entry(Bundle.SECTIONS).orElse(new byte[0])));
        }
        List<String> notes = new ArrayList<>();
        KernelSymbols source = SymbolSources.build(
                new SymbolSources.Inputs(ks, map, mods, parseOffset(kaslrOffset)), report, notes);
        Symbolizer.Result result = Symbolizer.symbolize(report, source, notes);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (format == Format.json) {
            SymbolizeJson.write(result, out);
            out.println();
        } else {
            for (String line : AnnotatedText.render(result)) {
                out.println(line);
            }
            summary(result, err);
        }
        out.flush();
        return result.disagreements() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private static void summary(Symbolizer.Result r, PrintWriter err) {
        err.println("kharden: symbols: " + r.source().description());
        err.println("kharden: KASLR offset: " + r.source().kaslrOffset().describe());
        for (String note : r.notes()) {
            err.println("kharden: note: " + note);
        }
        if (r.frames().isEmpty() && r.values().isEmpty()) {
            err.println("kharden: no frames or kernel addresses found in " + r.log().source());
            return;
        }
        err.println("kharden: " + r.frames().size() + " frames, " + r.disagreements()
                + " disagree with the symbols; " + r.values().size() + " values annotated");
    }

    static OptionalLong parseOffset(String hex) {
        if (hex == null) {
            return OptionalLong.empty();
        }
        String s = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        try {
            if (s.isEmpty() || s.length() > 16) {
                throw new NumberFormatException();
            }
            return OptionalLong.of(Long.parseUnsignedLong(s, 16));
        } catch (NumberFormatException e) {
            throw new UsageException("--kaslr-offset: not a hex number: " + hex, "e.g. --kaslr-offset 0x1a000000");
        }
    }

    /**
     * Writes a small kallsyms (20,000 symbols) and an old-format x86-64 oops into {@code dir} and
     * returns the command lines that exercise symbolize and redact on them, for the AOT training run:
     * the recorded profile lets the JIT compile the kallsyms reader's loop at once.
     */
    static List<String[]> trainingWorkloads(Path dir) throws IOException {
        StringBuilder ks = new StringBuilder(20_000 * 36);
        long base = 0xffffffff9a000000L;
        ks.append(Long.toHexString(base)).append(" T _text\n");
        for (int i = 0; i < 20_000; i++) {
            ks.append(Long.toHexString(base + 0x1000 + 0x40L * i)).append(i % 2 == 0 ? " T " : " t ")
                    .append("train_fn_").append(i).append('\n');
        }
        ks.append("ffffffffc0a00000 t train_mod_fn\t[train]\n");
        ks.append("ffffffffc0a00100 d train_mod_data\t[train]\n");
        StringBuilder oops = new StringBuilder("BUG: unable to handle kernel NULL pointer dereference at 0000000000000008\n")
                .append("RIP: 0010:[<ffffffff9a001008>]  [<ffffffff9a001008>] train_fn_0+0x8/0x40\n")
                .append("RSI: ffffffff9a001048 RDI: ffff88020211fa28\nCall Trace:\n");
        for (int i = 1; i < 40; i++) {
            long a = base + 0x1000 + 0x40L * (i * 97) + 4;
            oops.append(" [<").append(Long.toHexString(a)).append(">] ").append(i % 3 == 0 ? "? " : "")
                    .append("train_fn_").append(i * 97).append("+0x4/0x40\n");
        }
        oops.append(" [<ffffffffc0a00010>] train_mod_fn+0x10/0x100 [train]\n <TASK>\n train_fn_2+0x4/0x40\n");
        String k = java.nio.file.Files.writeString(dir.resolve("train.kallsyms"), ks).toString();
        String o = java.nio.file.Files.writeString(dir.resolve("train.oops"), oops).toString();
        return List.of(
                new String[] {"symbolize", "--kallsyms", k, o},
                new String[] {"symbolize", "--kallsyms", k, "--format", "json", o},
                new String[] {"redact", o});
    }

    /** Reads the log named on the command line; "-" is standard input. Shared with {@code redact}. */
    /** Parses the bundle's "module section 0xaddress" lines into module -> section -> address. */
    static java.util.Map<String, java.util.Map<String, Long>> sections(byte[] data) {
        java.util.Map<String, java.util.Map<String, Long>> out = new java.util.TreeMap<>();
        for (String line : new String(data, java.nio.charset.StandardCharsets.US_ASCII).lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].startsWith("0x")) {
                try {
                    out.computeIfAbsent(f[0], k -> new java.util.TreeMap<>())
                            .put(f[1], Long.parseUnsignedLong(f[2].substring(2), 16));
                } catch (NumberFormatException ignored) {
                    // a damaged line is skipped; the module then falls back to /proc/modules
                }
            }
        }
        return out;
    }

    static TextSource readLog(String arg, InputStream stdin) {
        return readLog(arg, stdin, false);
    }

    /** As {@link #readLog(String, InputStream)}; {@code exact} as for {@link TextSource#read(Path, boolean)}. */
    static TextSource readLog(String arg, InputStream stdin, boolean exact) {
        if (!"-".equals(arg)) {
            return TextSource.read(Path.of(arg), exact);
        }
        try {
            byte[] data = stdin.readNBytes(TextSource.MAX_BYTES + 1);
            if (data.length > TextSource.MAX_BYTES) {
                throw InputException.ofFile("-", "is larger than " + (TextSource.MAX_BYTES >> 20) + " MiB");
            }
            return TextSource.fromBytes("-", data, exact);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
