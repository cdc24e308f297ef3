package dev.kharden.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Our own fixture logs, one per paste format, and the line-prefix and hex-token rules. */
class OopsParserTest {
    static Stream<String> fixtures() {
        return Stream.of("dmesg-timestamps", "dmesg-human", "journalctl", "i386-old", "i386-new", "arm64-old");
    }

    private static OopsReport fixture(String name) throws IOException {
        String text = OopsCorpusTest.resource("fixtures/" + name + ".txt");
        return OopsParser.parse(name, text.lines().toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFrameParses(String name) throws IOException {
        OopsReport report = fixture(name);
        List<String> expected = OopsCorpusTest.FrameExpectations.read(OopsCorpusTest.resource("fixtures/" + name + ".frames"));
        assertThat(report.frames()).extracting(OopsCorpusTest.FrameExpectations::describe).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void redactionIsSafe(String name) throws IOException {
        OopsReport report = fixture(name);
        RedactionAssertions.assertSafe(report, Redactor.redact(report, false));
    }

    @Test
    void kernelOffsetModulesAndArchitecture() throws IOException {
        OopsReport ts = fixture("dmesg-timestamps");
        assertThat(ts.kernelOffset()).hasValue(0x1a000000L);
        assertThat(ts.kernelOffsetFrom()).hasValue(0xffffffff81000000L);
        assertThat(ts.kernelOffsetLine()).isEqualTo(16);
        assertThat(ts.arch()).isEqualTo(Arch.X86_64);

        OopsReport human = fixture("dmesg-human");
        assertThat(human.modules()).containsExactly("i915", "drm_kms_helper", "drm", "video");

        OopsReport i386 = fixture("i386-old");
        assertThat(i386.modules()).containsExactly("dvb_usb_gp8psk", "dvb_usb", "dvb_core");
        assertThat(i386.arch()).isEqualTo(Arch.I386);

        OopsReport arm = fixture("arm64-old");
        assertThat(arm.arch()).isEqualTo(Arch.ARM64);
        assertThat(arm.kernelOffset()).isEmpty(); // "Kernel Offset: disabled"
    }

    @Test
    void redactionMasksTheOffsetAndKeepsCodeOnlyWhenAsked() throws IOException {
        OopsReport ts = fixture("dmesg-timestamps");
        Redactor.Result r = Redactor.redact(ts, false);
        assertThat(r.lines().get(15)).isEqualTo("[   42.123600][    T1] Kernel Offset: " + Redactor.REDACTED);
        assertThat(r.lines().get(4)).isEqualTo(
                "[   42.123490][    T1] RAX: xxxxxxxxxxxxxxxx RBX: xxxxxxxxxxxxxxxx RCX: 0000000000000000");
        assertThat(r.lines().get(13)).isEqualTo("[   42.123580][    T1]  ? 0xxxxxxxxxxxxxxxxx");

        OopsReport arm = fixture("arm64-old");
        assertThat(Redactor.redact(arm, true).lines()).contains("Code: d2800001 d2800000 d503233f d50323bf (b900003f) ");
        assertThat(Redactor.redact(arm, false).lines()).contains("Code: " + Redactor.REDACTED);
    }

    @Test
    void taggedArm64PointersAreKernelSpace() {
        OopsReport r = OopsParser.parse("t", List.of("pc : 0x0", "x28: f1f000000474e000 x27: 0000000020ffd000"));
        assertThat(r.arch()).isEqualTo(Arch.ARM64);
        assertThat(Redactor.redact(r, false).lines().get(1)).isEqualTo("x28: xxxxxxxxxxxxxxxx x27: 0000000020ffd000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "[  123.456789] Call Trace:|Call Trace:",
        "[  123.456789]  dump_stack+0x19/0x1b| dump_stack+0x19/0x1b",
        "[   42.123456][    T1] RIP: 0010:foo+0x1/0x2|RIP: 0010:foo+0x1/0x2",
        "[Mar 3 10:21] WARNING: at x|WARNING: at x",
        "[  +0.000004]  <TASK>| <TASK>",
        "[Mon Mar  3 10:21:05 2025] Oops: 0000|Oops: 0000",
        "Mar 03 10:21:05 host kernel: RIP: 0010:foo|RIP: 0010:foo",
        "Mar  3 10:21:05 host kernel: [   12.000001]  ? bar+0x1/0x2| ? bar+0x1/0x2",
        "2025-03-03T10:21:05+0100 host kernel: Call Trace:|Call Trace:",
        "<4>[   12.000001] RAX: 0|RAX: 0",
        "kern  :warn  : [   12.000001] Modules linked in: zfs|Modules linked in: zfs",
        "[0000000000000000] pgd=0000000000000000|[0000000000000000] pgd=0000000000000000",
        " [<ffffffff81656b45>] dump_stack+0x19/0x1b| [<ffffffff81656b45>] dump_stack+0x19/0x1b",
        "------------[ cut here ]------------|------------[ cut here ]------------",
    })
    void linePrefixes(String line, String body) {
        assertThat(line.substring(LinePrefix.bodyStart(line))).isEqualTo(body);
    }

    @Test
    void hexTokensSkipSymbolNamesOffsetsAndShortWords() {
        String line = "RSI: ffffffff8b6c0863 cafebabe+0x10/0x20 0x0 deadbeef_x 1234567 [<c109e8a7>] 00000000fffffffa";
        assertThat(HexToken.scan(line, 0)).extracting(HexToken::value).containsExactly(
                0xffffffff8b6c0863L, 0L, 0xc109e8a7L, 0xfffffffaL);
    }
}
