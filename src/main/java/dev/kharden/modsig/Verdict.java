package dev.kharden.modsig;

/**
 * The outcome of checking one module: its status, the errno the kernel would return (null when valid),
 * a sentence saying why, and what was learnt on the way (trailer, PKCS#7 signer, the trusted
 * certificate that verified it). Immutable; one per module in a batch.
 */
public record Verdict(String path, Status status, KernelErrno errno, String reason, Compression compression,
                      SignatureTrailer trailer, Pkcs7Signature pkcs7, TrustedCert signedBy, long signedLength) {

    public static Verdict failed(String path, Rejected r) {
        return new Verdict(path, r.errno().status(), r.errno(), r.reason(), null, null, null, null, -1);
    }

    /** "soft" or "hard" as the kernel classifies a failure, null for valid modules. */
    public String failureClass() {
        if (errno == null) {
            return null;
        }
        if (status == Status.UNREADABLE) {
            return "io";
        }
        return errno.soft() ? "soft" : "hard";
    }
}
