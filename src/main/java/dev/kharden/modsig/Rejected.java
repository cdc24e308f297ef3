package dev.kharden.modsig;

/**
 * Thrown inside modsig when a module cannot be accepted, carrying the errno the kernel would return
 * (malformed PKCS#7, unsupported algorithm, bad signature) or kharden's own for a file it cannot read:
 * a typed status, never a crash. The batch turns it into that module's {@link Verdict}.
 */
public final class Rejected extends Exception {
    private final KernelErrno errno;
    private final String reason;

    public Rejected(KernelErrno errno, String reason) {
        super(errno + ": " + reason, null, false, false);
        this.errno = errno;
        this.reason = reason;
    }

    public KernelErrno errno() {
        return errno;
    }

    public String reason() {
        return reason;
    }
}
