package dev.kharden.cli;

import dev.kharden.input.ExactUtf8;
import dev.kharden.input.TextSource;
import dev.kharden.symbolize.OopsParser;
import dev.kharden.symbolize.OopsReport;
import dev.kharden.symbolize.Redactor;
import dev.kharden.symbolize.SymbolizeJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kharden redact}: masks kernel addresses and the KASLR offset in a log before it is posted. */
@Command(
        addMethodSubcommands = false,
        name = "redact",
        header = "Make a kernel log safe to post: mask addresses and the KASLR offset.",
        mixinStandardHelpOptions = true,
        description = {
            "Make a kernel log safe to post publicly: every printed kernel-space address (raw frames,"
                    + " registers, stack words, fault addresses) is masked with x's, the 'Kernel Offset:'"
                    + " and arm64 'PHYS_OFFSET:' values are removed, and so are the 'Code:' bytes"
                    + " (x86 instructions can hold absolute kernel addresses). Symbolic frames such as"
                    + " func+0x1a/0x40 [mod] stay: they are relative and do not reveal the KASLR offset.",
            "",
            "Kernel space is >= 0xffff800000000000 on x86-64, bits 52-55 set on arm64 (any tag byte),"
                    + " >= 0xc0000000 on i386; the architecture is recognised from the log.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden redact oops.txt > oops-public.txt",
            "  journalctl -k -b -1 | kharden redact -",
            "  kharden redact --keep-code --format json oops.txt",
            "",
            "Exit codes: 0 redacted; 2 usage error or unreadable input; 3 internal error."
        })
public final class RedactCommand implements Callable<Integer> {
    /** Output formats. */
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--keep-code",
            description = "Keep the 'Code:' instruction bytes. Only when you have checked they hold no absolute"
                    + " kernel address (arm64 code does not; x86-64 'mov $sym' does).")
    boolean keepCode;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (the redacted log; a count goes to standard error) or json"
                    + " (schema " + SymbolizeJson.REDACT_SCHEMA + "). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Parameters(index = "0", arity = "0..1", paramLabel = "OOPS-FILE", defaultValue = "-",
            description = "The log to redact; '-' (the default) reads standard input.")
    String log;

    @Override
    public Integer call() {
        // The text comes back byte for byte: bytes that are not UTF-8 are kept as escapes
        // (ExactUtf8), only ASCII addresses change, and the bytes go out as they came, line ends
        // included. JSON needs text: there they are U+FFFD, as before.
        TextSource text = SymbolizeCommand.readLog(log, System.in, format == Format.text);
        OopsReport report = OopsParser.parse(text);
        Redactor.Result result = Redactor.redact(report, keepCode);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            SymbolizeJson.writeRedacted(report, result, out);
            out.println();
        } else {
            writeExactly(result.lines(), text.lineEnds(), out);
            spec.commandLine().getErr().println("kharden: masked " + result.maskedValues() + " kernel addresses and "
                    + result.maskedLines() + " lines (Kernel Offset/Code) in " + report.source());
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Writes the redacted lines with their own line ends, as the bytes they were read from. */
    private static void writeExactly(List<String> lines, List<String> ends, PrintWriter out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            ExactUtf8.encode(lines.get(i), bytes);
            ExactUtf8.encode(ends.get(i), bytes);
        }
        OutputStream raw = Main.rawOut();
        if (raw == null) {
            out.print(bytes.toString(StandardCharsets.UTF_8)); // an in-process run: text is all it takes
            return;
        }
        out.flush();
        try {
            bytes.writeTo(raw);
            raw.flush();
        } catch (IOException e) {
            // standard output recorded the failure; Main reports it (and keeps quiet about a closed pipe)
        }
    }
}
