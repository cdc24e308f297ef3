package dev.kharden.symbolize;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a kernel log safe to post publicly. Security invariant: no kernel-space address and no
 * KASLR offset survives, because one runtime text address plus the distribution's public System.map
 * gives the KASLR offset away. So it masks every printed hex value that is a kernel-space address for
 * the log's architecture ({@link Arch#isKernelSpace}; every architecture's rules when the log shows
 * none or several), replaces the {@code Kernel Offset:} and
 * arm64 {@code PHYS_OFFSET:} values, and (unless asked to keep them) the {@code Code:} bytes, which
 * can embed absolute kernel addresses (x86-64 {@code mov $imm32} of a sign-extended kernel symbol).
 * Symbolic frames ({@code func+0x1a/0x40 [mod]}) are relative and stay, so the log still helps.
 * Line prefixes (timestamps, host) are kept as they are.
 */
public final class Redactor {
    /** What replaces a masked line's value. */
    public static final String REDACTED = "[redacted by kharden]";
    /** Masked digits are replaced by this character, keeping the column layout. */
    public static final char MASK = 'x';

    private Redactor() {
    }

    /**
     * The redacted log.
     *
     * @param lines        the log with values masked
     * @param maskedValues how many hex values were masked
     * @param maskedLines  how many lines had their value replaced ({@code Kernel Offset:}, {@code Code:}, ...)
     */
    public record Result(List<String> lines, int maskedValues, int maskedLines) {
    }

    public static Result redact(OopsReport log, boolean keepCode) {
        Arch arch = log.arch();
        List<String> out = new ArrayList<>(log.lines().size());
        int values = 0, whole = 0;
        for (int i = 0; i < log.lines().size(); i++) {
            String line = log.lines().get(i);
            int from = log.bodyStarts()[i];
            String body = line.substring(from);
            String t = body.stripLeading();
            String indent = body.substring(0, body.length() - t.length());
            String label = wholeLineLabel(t, keepCode);
            if (label != null) {
                out.add(line.substring(0, from) + indent + label + " " + REDACTED);
                whole++;
                continue;
            }
            StringBuilder sb = null;
            for (HexToken tok : HexToken.scan(line, from)) {
                if (arch.isKernelSpace(tok.value())) {
                    if (sb == null) {
                        sb = new StringBuilder(line);
                    }
                    for (int k = tok.end() - tok.digits(); k < tok.end(); k++) {
                        sb.setCharAt(k, MASK);
                    }
                    values++;
                }
            }
            out.add(sb == null ? line : sb.toString());
        }
        return new Result(List.copyOf(out), values, whole);
    }

    /** The label kept when a whole line's value goes, or null to mask value by value. */
    private static String wholeLineLabel(String t, boolean keepCode) {
        if (t.startsWith("Kernel Offset:")) {
            return "Kernel Offset:";
        }
        if (t.startsWith("PHYS_OFFSET:")) {
            return "PHYS_OFFSET:";
        }
        if (!keepCode && t.startsWith("Code:") && t.length() > "Code:".length() + 1) {
            return "Code:";
        }
        return null;
    }
}
