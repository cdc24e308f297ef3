package dev.kharden.cli;

/** A command line that parses but cannot be carried out (options that exclude each other, ...). */
public final class UsageException extends RuntimeException {
    private final String hint;

    public UsageException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public UsageException(String message) {
        this(message, null);
    }

    public String hint() {
        return hint;
    }
}
