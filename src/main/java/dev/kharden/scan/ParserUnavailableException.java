package dev.kharden.scan;

/** The native C parser (tree-sitter) could not be loaded on this machine; the scan cannot run. */
public final class ParserUnavailableException extends RuntimeException {
    private final String hint;

    public ParserUnavailableException(String message, String hint, Throwable cause) {
        super(message, cause);
        this.hint = hint;
    }

    /** What the user can do about it, naming the folders kharden tried. */
    public String hint() {
        return hint;
    }
}
