package dev.kharden.symbolize;

import java.util.List;
import java.util.OptionalLong;

/**
 * A parsed kernel log: its lines as given, where each line's kernel text starts (past timestamps
 * and journal prefixes), the locations it printed, the {@code Kernel Offset:} it disclosed and the
 * modules it listed. Immutable; symbolization and redaction read it, never change it.
 *
 * @param source        how the log is named in messages
 * @param lines         the log's lines, unchanged
 * @param bodyStarts    per line, the index where the kernel's own text begins
 * @param frames        every location, in log order
 * @param kernelOffset  the {@code Kernel Offset:} value, if the log printed one (the KASLR offset)
 * @param kernelOffsetFrom the link-time base printed with it ({@code from 0xffffffff81000000}), if any
 * @param kernelOffsetLine the 1-based line of that value, or 0
 * @param modules       the names in {@code Modules linked in:}, flags stripped
 * @param arch          the architecture guessed from registers and address widths
 */
public record OopsReport(
        String source,
        List<String> lines,
        int[] bodyStarts,
        List<Frame> frames,
        OptionalLong kernelOffset,
        OptionalLong kernelOffsetFrom,
        int kernelOffsetLine,
        List<String> modules,
        Arch arch) {

    /** The kernel's text of line {@code index} (0-based), without prefixes. */
    public String body(int index) {
        return lines.get(index).substring(bodyStarts[index]);
    }
}
