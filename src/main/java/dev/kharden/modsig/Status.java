package dev.kharden.modsig;

/**
 * The verdict on one module, as a stable lower-case word for reports and scripts. Each status comes
 * with the errno the kernel would return ({@link KernelErrno}); {@link #ok()} is the only success.
 */
public enum Status {
    /** Signature verifies against a trusted key. */
    VALID("valid"),
    /** A trusted key was found but the signature does not verify, or the policy forbids its form. */
    INVALID("invalid"),
    /** No "~Module signature appended~" marker. */
    UNSIGNED("unsigned"),
    /** Well-formed signature by a key that is not among the trusted certificates. */
    UNKNOWN_KEY("unknown-key"),
    /** Signature uses an id type, digest or key algorithm the kernel cannot check. */
    UNSUPPORTED("unsupported"),
    /** Trailer, PKCS#7 or compressed stream is broken. */
    MALFORMED("malformed"),
    /** The file could not be read at all (permission, vanished, symlink loop). */
    UNREADABLE("unreadable");

    private final String word;

    Status(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public boolean ok() {
        return this == VALID;
    }
}
