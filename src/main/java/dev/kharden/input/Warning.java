package dev.kharden.input;

/**
 * A problem in the input that the work can go on past (an unexpected line in a .config, a duplicate
 * key): reported to the user, never fatal. Same addressing as {@link InputException}.
 */
public record Warning(String source, int line, String message) {
    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ": " + message : source + ": " + message;
    }
}
