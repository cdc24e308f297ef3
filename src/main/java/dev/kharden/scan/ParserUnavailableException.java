package dev.kharden.scan;

/** The native C parser (tree-sitter) could not be loaded on this machine; the scan cannot run. */
public final class ParserUnavailableException extends RuntimeException {
    public ParserUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
