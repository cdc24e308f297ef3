package dev.kharden.modsig;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the kernel's built-in trusted keys (certs/system_certificates.S) in an uncompressed kernel:
 * {@code system_certificate_list} is DER X.509 certificates back to back (the module-signing key
 * first, then CONFIG_SYSTEM_TRUSTED_KEYS), followed, 8-byte aligned, by
 * {@code system_certificate_list_size} and {@code module_cert_size} as native-endian quads (longs on
 * 32-bit). The scan looks for DER certificate headers (SEQUENCE, SEQUENCE, [0] version), parses each
 * candidate, groups adjacent ones into runs, and marks a run as confirmed when the size field after it
 * equals its length. Confirmed runs are the trusted keys; unconfirmed certificates (e.g. an Authenticode
 * signer in a PE signature) are returned only when no run is confirmed, and flagged.
 */
public final class BuiltinCertificates {
    /** A certificate found in the image, with its offset and whether a size field confirmed it. */
    public record Found(long offset, TrustedCert cert, boolean confirmed) {
    }

    public static List<Found> scan(byte[] k, String origin) {
        List<long[]> spans = new ArrayList<>();
        List<TrustedCert> certs = new ArrayList<>();
        for (int i = 0; i + 16 <= k.length; i++) {
            if (k[i] != 0x30 || !looksLikeCertificate(k, i)) {
                continue;
            }
            int len = DerLength.sequenceLength(k, i);
            if (len < 0) {
                continue;
            }
            try {
                certs.add(TrustedCert.parse(java.util.Arrays.copyOfRange(k, i, i + len),
                        origin + "@0x" + Integer.toHexString(i)));
                spans.add(new long[] {i, len});
                i += len - 1;
            } catch (RuntimeException e) {
                // Not a certificate after all: keep scanning from the next byte.
            }
        }
        List<Found> confirmed = new ArrayList<>();
        List<Found> all = new ArrayList<>();
        int s = 0;
        while (s < spans.size()) {
            int e = s;
            while (e + 1 < spans.size() && spans.get(e)[0] + spans.get(e)[1] == spans.get(e + 1)[0]) {
                e++;
            }
            long start = spans.get(s)[0];
            long end = spans.get(e)[0] + spans.get(e)[1];
            boolean ok = sizeFieldConfirms(k, start, end);
            for (int j = s; j <= e; j++) {
                Found f = new Found(spans.get(j)[0], certs.get(j), ok);
                all.add(f);
                if (ok) {
                    confirmed.add(f);
                }
            }
            s = e + 1;
        }
        return confirmed.isEmpty() ? all : confirmed;
    }

    /**
     * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] EXPLICIT version INTEGER (0..2), ...
     * Both lengths in long form (a certificate is over 127 bytes), then A0 03 02 01 0v.
     */
    private static boolean looksLikeCertificate(byte[] k, int i) {
        int outer = k[i + 1] & 0xff;
        if (outer != 0x81 && outer != 0x82) {
            return false;
        }
        int t = i + 2 + (outer & 0x7f);
        if (t + 9 > k.length || k[t] != 0x30) {
            return false;
        }
        int inner = k[t + 1] & 0xff;
        int v = t + 2 + (inner < 0x80 ? 0 : inner & 0x7f);
        return inner >= 0x80 && inner <= 0x82 && v + 5 <= k.length && (k[v] & 0xff) == 0xa0 && k[v + 1] == 3
                && k[v + 2] == 2 && k[v + 3] == 1 && k[v + 4] >= 0 && k[v + 4] <= 2;
    }

    /** system_certificate_list_size follows the list at the next 8-byte (or 4-byte) boundary. */
    private static boolean sizeFieldConfirms(byte[] k, long start, long end) {
        long runLen = end - start;
        for (int align : new int[] {8, 4}) {
            long at = (end + align - 1) / align * align;
            if (at + 8 <= k.length) {
                long le64 = KernelImage.le32(k, (int) at) | KernelImage.le32(k, (int) at + 4) << 32;
                long le32 = KernelImage.le32(k, (int) at);
                long be64 = Long.reverseBytes(le64);
                long be32 = Integer.toUnsignedLong(Integer.reverseBytes((int) le32));
                if (le64 == runLen || be64 == runLen || (align == 4 && (le32 == runLen || be32 == runLen))) {
                    return true;
                }
            }
        }
        return false;
    }

    private BuiltinCertificates() {
    }
}
