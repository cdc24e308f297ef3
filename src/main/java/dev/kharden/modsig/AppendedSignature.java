package dev.kharden.modsig;

/**
 * Splits a (decompressed) module the way the kernel's module_sig_check and mod_verify_sig do: the magic
 * string at the very end, the 12-byte trailer before it, the PKCS#7 blob of sig_len bytes before that,
 * and everything in front is the signed content. Nothing else in the file counts: a module signed
 * twice (sign-file run again) has the first signature inside its signed content.
 */
public sealed interface AppendedSignature {
    /** No marker: the kernel's -ENODATA. */
    record Unsigned() implements AppendedSignature {
    }

    /** Marker present but the trailer fails the kernel's checks. {@code trailer} is null if too short. */
    record Broken(SignatureTrailer trailer, KernelErrno errno, String reason) implements AppendedSignature {
    }

    /** A trailer the kernel accepts: the signed content is bytes [0, bodyLength). */
    record Present(SignatureTrailer trailer, int bodyLength, int signatureOffset, int signatureLength)
            implements AppendedSignature {
    }

    /** Length of the content before a well-formed appended signature, or the whole length if none. */
    static int signedLength(byte[] module) {
        return locate(module, module.length) instanceof Present p ? p.bodyLength() : module.length;
    }

    static AppendedSignature locate(byte[] m, int len) {
        return locate(m, len, len);
    }

    /**
     * As {@link #locate(byte[], int)} when {@code m[0..len)} holds only the last {@code len} bytes of a
     * module of {@code moduleLen} bytes (at least {@link #MIN_TAIL} of them, or all): the offsets in
     * the result are still offsets in the whole module.
     */
    static AppendedSignature locate(byte[] m, int len, long moduleLen) {
        if (!SignatureTrailer.hasMagic(m, len)) {
            return new Unsigned();
        }
        long modlen = moduleLen - SignatureTrailer.MAGIC.length;
        if (modlen <= SignatureTrailer.SIZE) {
            return new Broken(null, KernelErrno.EBADMSG, "signature marker present but no room for the trailer");
        }
        SignatureTrailer t = SignatureTrailer.read(m, len - SignatureTrailer.MAGIC.length - SignatureTrailer.SIZE);
        SignatureTrailer.Problem p = t.check(modlen);
        if (p != null) {
            return new Broken(t, p.errno(), p.reason());
        }
        int sigLen = (int) t.sigLen();
        int body = (int) (modlen - SignatureTrailer.SIZE - sigLen);
        return new Present(t, body, body, sigLen);
    }

    /** The fewest end bytes {@link #locate(byte[], int, long)} needs: the marker and the trailer. */
    int MIN_TAIL = SignatureTrailer.MAGIC.length + SignatureTrailer.SIZE;
}
