package dev.kharden.cli;

/** kharden's exit codes, one meaning each, documented in the README and in every command's help. */
public final class ExitCodes {
    /** Nothing failed. */
    public static final int OK = 0;
    /** The work ran and found something that fails (a check, a bad signature, a finding). */
    public static final int FINDINGS = 1;
    /** Usage error or bad input that stopped the work. */
    public static final int USAGE = 2;
    /** A bug in kharden; the message asks for a report. */
    public static final int INTERNAL = 3;

    private ExitCodes() {
    }
}
