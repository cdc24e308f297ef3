package dev.kharden.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A file that holds reports of more than one architecture (pastes concatenated into one file) is
 * redacted with every architecture's rules: it masks at least what redacting each report alone masks.
 */
class MixedArchRedactionTest {
    static final List<String> X86_64 = List.of(
            "BUG: unable to handle page fault for address: ffffc90000a3f000",
            "RIP: 0010:[<ffffffff81171b02>]  [<ffffffff81171b02>] find_get_entry+0x42/0xc0",
            "RSP: 0018:ffffc90000a3fd48  EFLAGS: 00010246",
            "RAX: ffff88013c46dad0 RBX: 0000000000000036 RCX: 0000000000000000",
            "Call Trace:",
            " [<ffffffffa0123456>] ? xfs_iread+0x30/0x60 [xfs]",
            "");
    /** An i386 WARN without registers, as in the kernel's bug-hunting document: raw 32-bit words and frames. */
    static final List<String> I386_RAW = List.of(
            "WARNING: CPU: 1 PID: 28102 at kernel/module.c:1108 module_put+0x57/0x70",
            " 00000000 c12ba080 00000000 00000000 c103ed6a c1616014 00000001 00006dc6",
            "Call Trace:",
            " [<c12ba080>] ? dump_stack+0x44/0x64",
            " [<f80ca4d0>] ? gp8psk_fe_set_frontend+0x460/0x460 [dvb_usb_gp8psk]",
            "");
    static final List<String> I386_REGS = List.of(
            "BUG: unable to handle kernel NULL pointer dereference at 00000008",
            "EIP: 0060:[<c109e8a7>] EFLAGS: 00010246 CPU: 1",
            "EAX: 00000000 EBX: f5f5a600 ECX: c1616014 EDX: 00000001",
            "");
    static final List<String> ARM64 = List.of(
            "Unable to handle kernel paging request at virtual address dfff800000000005",
            "pstate: 61400809 (nZCv daif +PAN -UAO -TCO +DIT -SSBS BTYPE=-c)",
            "pc : 0x0",
            "sp : ffff800088e6bac0",
            "x29: ffff800088e6bac0 x28: f1f000000474e000 x27: 0000000020ffd000",
            "Call trace:",
            " 0x0",
            "");
    static final List<String> ARM = List.of(
            "Unable to handle kernel NULL pointer dereference at virtual address 00000000",
            "PC is at faulty_write+0x10/0x18 [faulty]",
            "pc : [<bf000010>]    lr : [<c02a3b6c>]    psr: 60000013",
            "r10: 00000000  r9 : ee9b4000  r8 : c0107e24",
            "[<bf000010>] (faulty_write [faulty]) from [<c02a3b6c>] (__vfs_write+0x34/0x118)",
            "");

    static Stream<List<List<String>>> mixes() {
        List<List<String>> parts = List.of(X86_64, I386_RAW, I386_REGS, ARM64, ARM);
        List<List<List<String>>> mixes = new ArrayList<>();
        for (List<String> a : parts) {
            for (List<String> b : parts) {
                if (a != b && !(isI386(a) && isI386(b))) {
                    mixes.add(List.of(a, b));
                }
            }
        }
        mixes.add(parts);
        return mixes.stream();
    }

    private static boolean isI386(List<String> part) {
        return part == I386_RAW || part == I386_REGS;
    }

    /** Every ordered pair of reports of different architectures, and all of them in one file. */
    @ParameterizedTest
    @MethodSource("mixes")
    void concatenatedReportsMaskAtLeastWhatEachMasksAlone(List<List<String>> parts) {
        List<String> all = new ArrayList<>();
        List<Redactor.Result> alone = new ArrayList<>();
        Set<Arch> archs = EnumSet.noneOf(Arch.class);
        for (List<String> part : parts) {
            all.addAll(part);
            OopsReport report = OopsParser.parse("part", part);
            archs.add(report.arch());
            alone.add(Redactor.redact(report, false));
        }
        OopsReport mixed = OopsParser.parse("mixed", all);
        if (archs.size() > 1 && !archs.contains(Arch.UNKNOWN)) {
            assertThat(mixed.arch()).as("a log with reports of " + archs).isEqualTo(Arch.UNKNOWN);
        }
        RedactionAssertions.assertMasksAtLeast(Redactor.redact(mixed, false), alone);
    }

    @Test
    void reportsOfOneArchitectureKeepIt() {
        List<String> i386 = new ArrayList<>(I386_RAW);
        i386.addAll(I386_REGS);
        assertThat(OopsParser.parse("x", i386).arch()).isEqualTo(Arch.I386);
        List<String> x86 = new ArrayList<>(X86_64);
        x86.addAll(X86_64);
        assertThat(OopsParser.parse("x", x86).arch()).isEqualTo(Arch.X86_64);
    }

    @Test
    void eachReportAloneKeepsItsArchitecture() {
        assertThat(OopsParser.parse("x", X86_64).arch()).isEqualTo(Arch.X86_64);
        assertThat(OopsParser.parse("x", I386_REGS).arch()).isEqualTo(Arch.I386);
        assertThat(OopsParser.parse("x", ARM64).arch()).isEqualTo(Arch.ARM64);
        assertThat(OopsParser.parse("x", ARM).arch()).isEqualTo(Arch.ARM);
    }

    @Test
    void theThreeArchitecturesTogetherLeaveNoKernelAddress() {
        List<String> all = new ArrayList<>(X86_64);
        all.addAll(I386_RAW);
        all.addAll(ARM64);
        Redactor.Result r = Redactor.redact(OopsParser.parse("mixed", all), false);
        String text = String.join("\n", r.lines());
        assertThat(text).doesNotContain("c12ba080", "f80ca4d0", "f1f000000474e000", "ffffffff81171b02",
                "ffff800088e6bac0");
        assertThat(text).contains("dump_stack+0x44/0x64", "find_get_entry+0x42/0xc0", "0000000020ffd000");
    }
}
