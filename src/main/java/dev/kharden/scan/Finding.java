package dev.kharden.scan;

import java.util.List;

/**
 * One call whose size argument can wrap: where it is (1-based line, 1-based UTF-16 column, as SARIF
 * counts by default), which rule, the expression, the safe helper for the target kernel, and the
 * rewritten call when one can be written mechanically ({@code suggestion} null otherwise).
 *
 * @param edits byte-range replacements in the file that turn the call into {@code suggestion}
 */
public record Finding(String file, int line, int column, int endLine, int endColumn, Rule rule,
        String callee, String expression, String helper, String suggestion, String message,
        boolean inMacro, List<Edit> edits) {

    /** Replace bytes [start, end) of the file with {@code text}. */
    public record Edit(int start, int end, String text) {
    }

    public Finding {
        edits = List.copyOf(edits);
    }
}
