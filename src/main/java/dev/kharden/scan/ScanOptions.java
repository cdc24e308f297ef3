package dev.kharden.scan;

import java.util.EnumSet;
import java.util.Set;

/**
 * The scan's policy, fixed for a run: the kernel the suggestions target, how macro constants, macro
 * bodies and driver-local wrappers are treated (docs/scan.md, "Policy"), which rules run, and the
 * limits that keep bad input from stalling the scan.
 *
 * @param macrosAsVariables treat ALL_CAPS identifiers as run-time values (as the 2018 sweep did)
 *     instead of compile-time constants
 * @param macroBodies also scan the bodies of #define'd macros
 * @param wrappers also scan calls of driver-local wrappers named like allocators (rvmalloc)
 * @param maxFileBytes larger files are skipped with a reason
 * @param parseMillis a file whose parse takes longer is abandoned with a reason
 */
public record ScanOptions(KernelVersion version, boolean macrosAsVariables, boolean macroBodies,
        boolean wrappers, Set<Rule> rules, long maxFileBytes, long parseMillis) {

    public static final long DEFAULT_MAX_FILE_BYTES = 4L << 20;
    public static final long DEFAULT_PARSE_MILLIS = 20_000;
    /** Expressions nested deeper than this are not analysed (the file says why). */
    public static final int MAX_DEPTH = 200;

    public ScanOptions {
        rules = Set.copyOf(rules.isEmpty() ? EnumSet.allOf(Rule.class) : rules);
    }

    public static ScanOptions defaults(KernelVersion version) {
        return new ScanOptions(version, true, true, true, EnumSet.allOf(Rule.class), DEFAULT_MAX_FILE_BYTES,
                DEFAULT_PARSE_MILLIS);
    }

    public ScanOptions withMacrosAsVariables(boolean b) {
        return new ScanOptions(version, b, macroBodies, wrappers, rules, maxFileBytes, parseMillis);
    }
}
