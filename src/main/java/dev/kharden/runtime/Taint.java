package dev.kharden.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the kernel's taint mask (/proc/sys/kernel/tainted) into named flags. The table follows
 * include/linux/panic.h and Documentation/admin-guide/tainted-kernels.rst: bit, the letter the
 * kernel prints in oops headers, and kharden's name (the TAINT_ constant in lower case). A bit the
 * table does not know yet is named {@code bit<N>} rather than dropped: an unknown taint is still a taint.
 */
public final class Taint {
    /** One taint bit. */
    public record Flag(int bit, char letter, String name, String meaning) {
    }

    /** Every flag the kernel defines, in bit order. */
    public static final List<Flag> FLAGS = List.of(
            new Flag(0, 'P', "proprietary_module", "a proprietary (non-GPL) module was loaded"),
            new Flag(1, 'F', "forced_module", "a module was force-loaded (insmod -f), skipping version checks"),
            new Flag(2, 'S', "cpu_out_of_spec", "the CPU runs out of specification (SMP on unsupported parts)"),
            new Flag(3, 'R', "forced_rmmod", "a module was force-unloaded (rmmod -f)"),
            new Flag(4, 'M', "machine_check", "the processor reported a machine-check exception"),
            new Flag(5, 'B', "bad_page", "a bad page was found: memory corruption or a page-table bug"),
            new Flag(6, 'U', "user", "user space asked for a taint (writing to kernel.tainted)"),
            new Flag(7, 'D', "die", "the kernel oopsed or hit a BUG"),
            new Flag(8, 'A', "overridden_acpi_table", "an ACPI table was overridden by the user"),
            new Flag(9, 'W', "warn", "the kernel issued a warning"),
            new Flag(10, 'C', "staging", "a staging driver was loaded"),
            new Flag(11, 'I', "firmware_workaround", "a workaround for a platform firmware bug is active"),
            new Flag(12, 'O', "oot_module", "an out-of-tree module was loaded"),
            new Flag(13, 'E', "unsigned_module", "an unsigned module was loaded"),
            new Flag(14, 'L', "softlockup", "a soft lock-up occurred"),
            new Flag(15, 'K', "livepatch", "the kernel was live-patched"),
            new Flag(16, 'X', "aux", "an auxiliary taint, defined by distributions"),
            new Flag(17, 'T', "randstruct", "the kernel was built with the struct randomisation plugin"),
            new Flag(18, 'N', "test", "an in-kernel test (kunit) ran"),
            new Flag(19, 'J', "fwctl", "user space used a mutating debug operation through fwctl"));

    private Taint() {
    }

    /** The flags set in {@code mask}, known ones by name, others as {@code bit<N>}. */
    public static List<String> names(long mask) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 64; bit++) {
            if ((mask & (1L << bit)) != 0) {
                out.add(bit < FLAGS.size() ? FLAGS.get(bit).name() : "bit" + bit);
            }
        }
        return out;
    }

    /** The kernel's one-letter summary of {@code mask}, as oops headers print it ("OE"). */
    public static String letters(long mask) {
        StringBuilder sb = new StringBuilder();
        for (Flag f : FLAGS) {
            if ((mask & (1L << f.bit())) != 0) {
                sb.append(f.letter());
            }
        }
        return sb.toString();
    }
}
