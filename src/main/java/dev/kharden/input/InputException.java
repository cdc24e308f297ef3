package dev.kharden.input;

/**
 * The one error every kharden parser and reader throws for bad input: it names the source (a file
 * path or "-" for standard input), the 1-based line where known (0 when the problem is the whole
 * source), and a reason a person can act on. The CLI turns it into one line and exit code 2; users
 * never see a stack trace for bad input.
 */
public final class InputException extends RuntimeException {
    private final String source;
    private final int line;
    private final String reason;

    public InputException(String source, int line, String reason) {
        super(format(source, line, reason));
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public InputException(String source, int line, String reason, Throwable cause) {
        super(format(source, line, reason), cause);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** A problem with the whole source rather than one line (missing, unreadable, binary, empty). */
    public static InputException ofFile(String source, String reason) {
        return new InputException(source, 0, reason);
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }

    private static String format(String source, int line, String reason) {
        return line > 0 ? source + ":" + line + ": " + reason : source + ": " + reason;
    }
}
