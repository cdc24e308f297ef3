package dev.kharden.modsig;

import java.nio.charset.StandardCharsets;

/**
 * The 12-byte {@code struct module_signature} the kernel expects right before the magic string at the
 * end of a signed module, and the kernel's own sanity checks on it (mod_check_sig). Byte layout:
 * <pre>
 *   u8 algo; u8 hash; u8 id_type; u8 signer_len; u8 key_id_len; u8 pad[3]; __be32 sig_len;
 *   then "~Module signature appended~\n" (28 bytes)
 * </pre>
 * Only id_type 2 (PKEY_ID_PKCS7) is accepted, with every other byte zero: the signer, key id and
 * algorithms all live inside the PKCS#7 message.
 */
public record SignatureTrailer(int algo, int hash, int idType, int signerLen, int keyIdLen,
                               int pad0, int pad1, int pad2, long sigLen) {
    /** The marker, MODULE_SIG_STRING in include/linux/module_signature.h. */
    public static final byte[] MAGIC = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    /** sizeof(struct module_signature). */
    public static final int SIZE = 12;
    /** PKEY_ID_PGP = 0, PKEY_ID_X509 = 1, PKEY_ID_PKCS7 = 2. */
    public static final int PKEY_ID_PKCS7 = 2;

    /** Reads the struct at {@code offset} (no checks: that is {@link #check}). */
    public static SignatureTrailer read(byte[] b, int offset) {
        long sigLen = ((b[offset + 8] & 0xffL) << 24) | ((b[offset + 9] & 0xff) << 16)
                | ((b[offset + 10] & 0xff) << 8) | (b[offset + 11] & 0xff);
        return new SignatureTrailer(b[offset] & 0xff, b[offset + 1] & 0xff, b[offset + 2] & 0xff,
                b[offset + 3] & 0xff, b[offset + 4] & 0xff, b[offset + 5] & 0xff, b[offset + 6] & 0xff,
                b[offset + 7] & 0xff, sigLen);
    }

    /** The 12 bytes for a PKCS#7 signature of {@code sigLen} bytes, as sign-file writes them. */
    public static byte[] pkcs7(int sigLen) {
        byte[] t = new byte[SIZE];
        t[2] = PKEY_ID_PKCS7;
        t[8] = (byte) (sigLen >>> 24);
        t[9] = (byte) (sigLen >>> 16);
        t[10] = (byte) (sigLen >>> 8);
        t[11] = (byte) sigLen;
        return t;
    }

    /** True if {@code data[0..len)} ends with the magic string. */
    public static boolean hasMagic(byte[] data, int len) {
        if (len <= MAGIC.length) {
            return false;
        }
        return java.util.Arrays.equals(data, len - MAGIC.length, len, MAGIC, 0, MAGIC.length);
    }

    /**
     * The kernel's mod_check_sig, given {@code fileLen} = module length without the magic string.
     * Returns null when the trailer is acceptable, else the errno and why.
     */
    public Problem check(long fileLen) {
        if (sigLen >= fileLen - SIZE) {
            return new Problem(KernelErrno.EBADMSG, "sig_len " + sigLen + " does not fit in the "
                    + fileLen + "-byte module (needs sig_len < " + (fileLen - SIZE) + ")");
        }
        if (idType != PKEY_ID_PKCS7) {
            return new Problem(KernelErrno.ENOPKG, "id_type " + idType + " ("
                    + idTypeName() + "): the kernel only accepts PKCS#7 module signatures");
        }
        if (algo != 0 || hash != 0 || signerLen != 0 || keyIdLen != 0 || pad0 != 0 || pad1 != 0 || pad2 != 0) {
            return new Problem(KernelErrno.EBADMSG, "PKCS#7 trailer has non-zero algo/hash/signer_len/"
                    + "key_id_len/pad fields (all must be 0)");
        }
        return null;
    }

    public String idTypeName() {
        return switch (idType) {
            case 0 -> "PGP";
            case 1 -> "X509";
            case 2 -> "PKCS#7";
            default -> "unknown";
        };
    }

    /** A rejected trailer or signature: the errno the kernel returns and a sentence for people. */
    public record Problem(KernelErrno errno, String reason) {
    }
}
