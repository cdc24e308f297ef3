package dev.kharden.modsig;

/** Reads the total length of a DER SEQUENCE header, for scanning certificates in raw bytes. */
final class DerLength {
    /**
     * Returns the length (header included) of the DER SEQUENCE starting at {@code at}, or -1 if the
     * bytes there are not a definite-length SEQUENCE that fits in the array.
     */
    static int sequenceLength(byte[] b, int at) {
        if (at + 2 > b.length || (b[at] & 0xff) != 0x30) {
            return -1;
        }
        int first = b[at + 1] & 0xff;
        long len;
        int header;
        if (first < 0x80) {
            len = first;
            header = 2;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4 || at + 2 + n > b.length) {
                return -1;
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (b[at + 2 + i] & 0xff);
            }
            header = 2 + n;
        }
        long total = header + len;
        return at + total <= b.length ? (int) total : -1;
    }

    private DerLength() {
    }
}
