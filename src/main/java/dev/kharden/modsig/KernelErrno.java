package dev.kharden.modsig;

/**
 * The Linux errno values a module load returns for each signature outcome, by name and number (x86
 * and arm64 numbering), so reports speak the kernel's language: {@code modprobe} prints exactly these.
 * The numbers kharden adds for problems the kernel never sees (an unreadable file) are marked.
 */
public enum KernelErrno {
    /** No signature: soft failure (mod_verify_sig never ran). */
    ENODATA(61),
    /** Signed by a key the kernel does not hold: soft failure. */
    ENOKEY(126),
    /** Crypto the kernel does not support (id_type, digest or key algorithm): soft failure. */
    ENOPKG(65),
    /** Malformed trailer or PKCS#7: hard failure. */
    EBADMSG(74),
    /** Bad signature, or a signature the module policy forbids (signed attributes): hard failure. */
    EKEYREJECTED(129),
    /** PKCS#7 the parser refuses outright (not SignedData, unsupported version): hard failure. */
    EINVAL(22),
    /** Not a valid ELF module: the kernel's ELF checks after the signature check. Hard failure. */
    ENOEXEC(8),
    /** kharden: file could not be read (permission). */
    EACCES(13),
    /** kharden: symbolic-link loop while walking a tree. */
    ELOOP(40),
    /** kharden: file vanished or never existed. */
    ENOENT(2),
    /** kharden: other read error. */
    EIO(5),
    /** kharden: decompressed module larger than the safety bound (decompression bomb). */
    EFBIG(27);

    private final int number;

    KernelErrno(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /**
     * The kernel's own classification (kernel/module/signing.c): only "unsigned", "unsupported crypto"
     * and "unavailable key" may be let through by policy (when signatures are not enforced); every
     * other error refuses the module even when signatures are optional.
     */
    public boolean soft() {
        return this == ENODATA || this == ENOPKG || this == ENOKEY;
    }

    /** The module status this errno means. */
    public Status status() {
        return switch (this) {
            case ENODATA -> Status.UNSIGNED;
            case ENOKEY -> Status.UNKNOWN_KEY;
            case ENOPKG -> Status.UNSUPPORTED;
            case EKEYREJECTED -> Status.INVALID;
            case EBADMSG, EINVAL, EFBIG, ENOEXEC -> Status.MALFORMED;
            case EACCES, ELOOP, ENOENT, EIO -> Status.UNREADABLE;
        };
    }
}
