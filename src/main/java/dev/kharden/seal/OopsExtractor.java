package dev.kharden.seal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts the oops, WARN, BUG and panic reports out of a kernel log, so the bundle carries the crash
 * reports without the rest of the log. A report starts at a marker line and runs to its
 * "---[ end trace" line, the next report, or a line limit. Deliberately coarse: the symbolizer parses
 * the reports; this only selects them.
 */
final class OopsExtractor {
    private static final Pattern TIMESTAMP = Pattern.compile("^\\[[^\\]]*\\]\\s?");
    private static final Pattern START = Pattern.compile(
            "^(-+\\[ cut here \\]-+|WARNING: |BUG: |Oops[:#]|kernel BUG at |general protection fault|"
                    + "Unable to handle kernel |Internal error: |Kernel panic - not syncing|"
                    + "INFO: task .* blocked for more than|watchdog: BUG: |UBSAN: |KASAN: |"
                    + "Kernel BUG at |list_(add|del) corruption)");
    private static final Pattern END = Pattern.compile("^-+\\[ end (trace|Kernel panic)");
    /** A stack dump without a marker line (dump_stack() from a driver's own assertion). */
    private static final Pattern BARE_TRACE = Pattern.compile("^Call [Tt]race:");
    /** Lines kept before a bare trace: the assertion message, CPU/PID, Tainted, Hardware name. */
    private static final int CONTEXT = 6;
    private static final int MAX_LINES = 400;

    private OopsExtractor() {
    }

    /** The reports found in {@code log}, each as a list of its original lines. */
    static List<List<String>> extract(List<String> log) {
        List<List<String>> reports = new ArrayList<>();
        List<String> current = null;
        java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
        for (String line : log) {
            String text = TIMESTAMP.matcher(line).replaceFirst("");
            boolean start = START.matcher(text).find();
            // "cut here" is followed by its WARNING/BUG line: that belongs to the same report.
            boolean continuesCutHere = current != null && current.size() == 1 && text.matches("^(WARNING|BUG|kernel BUG).*");
            if (start && !continuesCutHere) {
                if (current != null) {
                    reports.add(current);
                }
                current = new ArrayList<>();
            }
            if (current == null && BARE_TRACE.matcher(text).find()) {
                current = new ArrayList<>(recent);
            }
            if (current == null) {
                recent.addLast(line);
                if (recent.size() > CONTEXT) {
                    recent.removeFirst();
                }
                continue;
            }
            recent.clear();
            current.add(line);
            if (END.matcher(text).find() || current.size() >= MAX_LINES) {
                reports.add(current);
                current = null;
            }
        }
        if (current != null) {
            reports.add(current);
        }
        return reports;
    }
}
