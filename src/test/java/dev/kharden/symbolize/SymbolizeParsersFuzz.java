package dev.kharden.symbolize;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Fuzz targets for symbolize's readers of untrusted text: the oops parser (then redaction and
 * symbolization of what it parsed), the kallsyms reader and the System.map reader. The invariant:
 * any bytes either work or raise InputException; no other exception escapes; redaction keeps the
 * line count.
 */
class SymbolizeParsersFuzz {
    private static final SymbolTable TABLE = SymbolTable.read("fixed", """
            ffffffff81000000 T _text
            ffffffff81000100 T do_work
            ffffffff81000180 t helper
            ffffffff81000200 T _etext
            ffffffffc0a00000 t drv_probe\t[drv]
            ffffffffc0a00080 d drv_data\t[drv]
            """.getBytes(StandardCharsets.US_ASCII), SymbolTable.Format.KALLSYMS);

    @FuzzTest(maxDuration = "15s")
    void oopsParser(byte[] data) {
        TextSource text;
        try {
            text = TextSource.fromBytes("fuzz.oops", data);
        } catch (InputException expected) {
            return; // binary input is refused before parsing
        }
        OopsReport report = OopsParser.parse(text);
        Redactor.Result redacted = Redactor.redact(report, false);
        if (redacted.lines().size() != report.lines().size()) {
            throw new AssertionError("redaction changed the line count");
        }
        List<String> notes = new ArrayList<>();
        KernelSymbols source = SymbolSources.build(
                new SymbolSources.Inputs(TABLE, null, ModuleList.empty(), OptionalLong.empty()), report, notes);
        AnnotatedText.render(Symbolizer.symbolize(report, source, notes));
    }

    @FuzzTest(maxDuration = "15s")
    void kallsymsReader(byte[] data) {
        read(data, SymbolTable.Format.KALLSYMS);
    }

    @FuzzTest(maxDuration = "15s")
    void systemMapReader(byte[] data) {
        read(data, SymbolTable.Format.SYSTEM_MAP);
    }

    private static void read(byte[] data, SymbolTable.Format format) {
        try {
            SymbolTable t = SymbolTable.read("fuzz", data, format);
            KernelSymbols s = new KernelSymbols(t, 0, ModuleList.empty(),
                    new KaslrOffset(0, KaslrOffset.Origin.RUNTIME_SYMBOLS, ""));
            for (int i = 0; i < Math.min(t.size(), 64); i++) {
                s.resolve(t.address(i) + 1);
            }
            s.named(java.util.Set.of(t.name(0)));
        } catch (InputException expected) {
            // bad input is reported, never a crash
        }
    }
}
