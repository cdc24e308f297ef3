package dev.kharden.runtime;

/**
 * How a runtime value that could not be read travels in the values map: a marker that cannot come
 * from a file (it starts with a NUL character) followed by the reason. The evaluator turns it into
 * an {@code unknown} verdict with that reason; reports show no actual value for it.
 */
public final class RuntimeValues {
    private static final String MARK = "\u0000unreadable:";

    private RuntimeValues() {
    }

    public static String unreadable(String reason) {
        return MARK + reason;
    }

    /** The reason a value could not be read, or null when {@code raw} is a real value (or null). */
    public static String whyUnreadable(String raw) {
        return raw != null && raw.startsWith(MARK) ? raw.substring(MARK.length()) : null;
    }
}
