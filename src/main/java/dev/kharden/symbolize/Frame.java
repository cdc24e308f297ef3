package dev.kharden.symbolize;

import java.util.OptionalLong;

/**
 * One code location an oops printed: a call-trace entry, the faulting instruction ({@code RIP:},
 * {@code EIP:}, {@code pc :}), the arm64 link register, a WARNING's site, or the closing summary
 * ({@code RIP  [<...>] sym}). Holds what the log said, nothing computed.
 *
 * @param line      1-based line number in the log
 * @param kind      where in the report the location was printed
 * @param reliable  false for frames printed with {@code ? } (a text address found on the stack that
 *                  the unwinder could not confirm as a return address)
 * @param address   the raw address printed with it ({@code [<ffffffff81234567>]}, {@code 0x0}), if any
 * @param function  the symbol name, or null when the kernel printed only an address
 * @param offset    the offset into the function, or -1 when not printed
 * @param size      the function's size as the kernel computed it, or -1 when not printed
 * @param module    the module in brackets ({@code [i915]}), or null for the core kernel
 * @param buildId   the module's build id ({@code [mod <build-id>]}, CONFIG_STACKTRACE_BUILD_ID), or null
 * @param source    a {@code file:line} a source-level symbolizer appended (syzbot), or null
 * @param inline    true for {@code [inline]} pseudo-frames added by such a symbolizer
 * @param context   the stack the frame was on ({@code TASK}, {@code IRQ}, {@code NMI}, ...), or null
 */
public record Frame(
        int line,
        Kind kind,
        boolean reliable,
        OptionalLong address,
        String function,
        long offset,
        long size,
        String module,
        String buildId,
        String source,
        boolean inline,
        String context) {

    /** Where in an oops a location was printed. */
    public enum Kind {
        /** An entry of {@code Call Trace:} / {@code Call trace:} / {@code Backtrace:}. */
        TRACE,
        /** The instruction pointer: {@code RIP:}, {@code EIP:}, {@code IP:}, {@code pc :}, {@code PC is at}. */
        IP,
        /** The arm link register: {@code lr :}, {@code LR is at}. */
        LR,
        /** The site of a {@code WARNING:}. */
        WARN,
        /** The closing {@code RIP  [<...>] sym} / {@code EIP: [<...>] sym SS:ESP} summary. */
        SUMMARY;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The symbolic location as the kernel prints it ({@code func+0x1a/0x40 [mod]}), or null. */
    public String symbolic() {
        if (function == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(function);
        if (offset >= 0) {
            sb.append("+0x").append(Long.toHexString(offset));
            if (size >= 0) {
                sb.append("/0x").append(Long.toHexString(size));
            }
        }
        if (module != null) {
            sb.append(" [").append(module).append(']');
        }
        return sb.toString();
    }
}
