package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kharden symbolize} and {@code kharden redact} end to end: outputs, exit codes, errors. */
class SymbolizeCommandTest {
    @TempDir
    Path dir;
    Path kallsyms;
    Path systemMap;
    Path modules;
    Path oops;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @BeforeEach
    void files() throws IOException {
        // KASLR offset 0x1a000000: runtime = link + 0x1a000000
        kallsyms = Files.writeString(dir.resolve("kallsyms"), """
                ffffffff9b000000 T _text
                ffffffff9b000100 T do_work
                ffffffff9b000180 t helper
                ffffffff9b000200 T _etext
                ffffffffc0a00000 t drv_probe\t[drv]
                ffffffffc0a00080 d drv_data\t[drv]
                """);
        systemMap = Files.writeString(dir.resolve("System.map"), """
                ffffffff81000000 T _text
                ffffffff81000100 T do_work
                ffffffff81000180 t helper
                ffffffff81000200 T _etext
                """);
        modules = Files.writeString(dir.resolve("modules"), "drv 4096 0 - Live 0xffffffffc0a00000 (O)\n");
        oops = Files.writeString(dir.resolve("oops.txt"), """
                [   10.000001] RIP: 0010:[<ffffffff9b000110>]  [<ffffffff9b000110>] do_work+0x10/0x80
                [   10.000002] RSI: ffffffff9b000184 RDI: ffff88020211fa28
                [   10.000003] Call Trace:
                [   10.000004]  [<ffffffffc0a00010>] drv_probe+0x10/0x80 [drv]
                [   10.000005]  [<ffffffff9b000190>] ? helper+0x10/0x80
                [   10.000006] Kernel Offset: 0x1a000000 from 0xffffffff81000000
                """);
    }

    @Test
    void annotatesRegistersAndChecksFrames() {
        CliRun r = run("symbolize", "--kallsyms", kallsyms.toString(), "--modules", modules.toString(), oops.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("RSI: ffffffff9b000184 (helper+0x4/0x80) RDI: ffff88020211fa28");
        assertThat(r.out()).doesNotContain("<-- kharden");
        assertThat(r.err()).contains("3 frames, 0 disagree");
    }

    @Test
    void systemMapWithTheLogsKernelOffset() {
        CliRun r = run("symbolize", "--system-map", systemMap.toString(), oops.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).contains("KASLR offset: 0x1a000000 (the log's Kernel Offset: line: line 6)");
        assertThat(r.out()).contains("(helper+0x4/0x80)");
    }

    @Test
    void disagreementExitsOneAndIsMarked() throws IOException {
        Files.writeString(oops, Files.readString(oops).replace("helper+0x10/0x80", "helper+0x10/0x90"));
        CliRun r = run("symbolize", "--kallsyms", kallsyms.toString(), oops.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(r.out()).contains("? helper+0x10/0x90  <-- kharden: address-mismatch: the address is helper+0x10/0x80");
    }

    @Test
    void jsonFrames() {
        CliRun r = run("symbolize", "--kallsyms", kallsyms.toString(), "--format", "json", oops.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        var json = r.json();
        assertThat(json.get("schema").asText()).isEqualTo("kharden-symbolize/1");
        List<String> checks = new ArrayList<>();
        json.get("frames").forEach(f -> checks.add(f.get("check").asText()));
        assertThat(checks).containsExactly("ok", "ok", "ok");
        assertThat(json.get("values").get(0).get("register").asText()).isEqualTo("RSI");
        assertThat(r.out()).contains("\"symbolized\" : \"drv_probe+0x10/0x80 [drv]\"", "\"reliable\" : false");
    }

    @Test
    void usageAndInputErrors() throws IOException {
        CliRun none = run("symbolize", oops.toString());
        assertThat(none.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("no symbols given").contains("hint: give --bundle BUNDLE -i IDENTITY, --kallsyms FILE");

        CliRun missing = run("symbolize", "--kallsyms", dir.resolve("nope").toString(), oops.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nope: no such file").doesNotContain("Exception");

        CliRun badOffset = run("symbolize", "--system-map", systemMap.toString(), "--kaslr-offset", "zz", oops.toString());
        assertThat(badOffset.code()).isEqualTo(ExitCodes.USAGE);

        Path zeros = Files.writeString(dir.resolve("zeros"), "0000000000000000 T _text\n0000000000000000 T f\n");
        CliRun zeroed = run("symbolize", "--kallsyms", zeros.toString(), oops.toString());
        assertThat(zeroed.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(zeroed.err()).contains("every address is zero");

        Path binary = Files.write(dir.resolve("bin"), new byte[] {1, 0, 2});
        CliRun bin = run("symbolize", "--kallsyms", kallsyms.toString(), binary.toString());
        assertThat(bin.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bin.err()).contains("binary");
    }

    @Test
    void redactMasksAddressesAndTheOffset() {
        CliRun r = run("redact", oops.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).doesNotContain("ffffffff9b", "ffffffffc0", "0x1a000000");
        assertThat(r.out()).contains("do_work+0x10/0x80", "drv_probe+0x10/0x80 [drv]", "? helper+0x10/0x80",
                "RSI: xxxxxxxxxxxxxxxx", "Kernel Offset: [redacted by kharden]");
        CliRun json = run("redact", "--format", "json", oops.toString());
        assertThat(json.out()).contains("\"schema\" : \"kharden-redact/1\"", "\"maskedLines\" : 1");
    }

    @Test
    void redactGivesBackTheLogByteForByteSaveTheMaskedDigits() throws IOException {
        // bytes that are not UTF-8, CRLF and a bare CR, and no line end at the very end
        byte[] tail = "caf\u00e9 \u00ff\u00fe RIP: 0010:ffffffff9b000110\r\nCR only\rlast ffffffffc0a00090"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        // (no Kernel Offset line: redact replaces that line's text, where every other change is a digit masked)
        byte[] head = Files.readString(oops).replaceAll("(?m)^.*Kernel Offset.*\n", "")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] in = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, in, head.length, tail.length);
        Path log = Files.write(dir.resolve("odd.log"), in);
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new String[] {"redact", log.toString()}, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err), raw);
        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        byte[] out = raw.toByteArray();
        assertThat(out).hasSameSizeAs(in);
        int masked = 0;
        for (int i = 0; i < in.length; i++) {
            if (out[i] != in[i]) {
                assertThat((char) out[i]).as("byte " + i).isEqualTo('x');
                assertThat("0123456789abcdef").as("byte " + i).contains(String.valueOf((char) in[i]));
                masked++;
            }
        }
        String text = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain("ffffffff9b", "ffffffffc0")
                .endsWith("last xxxxxxxxxxxxxxxx").contains("caf\u00e9 \u00ff\u00fe RIP: 0010:xxxxxxxxxxxxxxxx\r\nCR only\r");
        assertThat(masked).isGreaterThan(16 * 5);
        // in-process, without standard output's bytes, the same text comes as characters
        Path plain = Files.write(dir.resolve("plain.log"), head);
        assertThat(run("redact", plain.toString()).out()).isEqualTo(
                new String(out, 0, head.length, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void redactKnowsAJournalPrefixInAnyScript() throws IOException {
        // a Hebrew-locale journalctl -k: the prefix must be recognised in the text output as in JSON
        Path log = Files.writeString(dir.resolve("he.log"), "\u05d3\u05e6\u05de 05 10:00:00 host kernel: Kernel Offset: "
                + "0x1a000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)\n");
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        java.io.StringWriter err = new java.io.StringWriter();
        Main.run(new String[] {"redact", log.toString()}, new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err), raw);
        assertThat(raw.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("\u05d3\u05e6\u05de 05 10:00:00 host kernel: Kernel Offset: [redacted by kharden]\n");
        assertThat(run("redact", "--format", "json", log.toString()).out()).contains("\"maskedLines\" : 1");
    }

    @Test
    void redactToAFullDiskSaysSoOnceAndExitsTwo() {
        StandardOutput full = new StandardOutput(new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        });
        java.io.StringWriter err = new java.io.StringWriter();
        java.io.PrintWriter errWriter = new java.io.PrintWriter(err, true);
        int code = Main.run(new String[] {"redact", oops.toString()},
                new java.io.PrintWriter(new java.io.OutputStreamWriter(full, java.nio.charset.StandardCharsets.UTF_8)), errWriter, full);
        assertThat(full.exitCode(code, errWriter)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).doesNotContain("internal error")
                .contains("kharden: cannot write standard output: No space left on device");
    }

    @Test
    void helpTeaches() {
        assertThat(run("symbolize", "--help").out()).contains("--kallsyms", "--system-map", "--kaslr-offset", "Examples:");
        assertThat(run("redact", "--help").out()).contains("--keep-code", "Examples:");
    }
}
