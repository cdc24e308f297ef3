package dev.kharden.seal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The header records of a bundle's tar entries: POSIX ustar headers, preceded by a pax extended
 * header (type {@code x}) when the name takes 100 bytes or more, or a number does not fit its field.
 * Every field is laid out as commons-compress's {@code TarArchiveOutputStream} lays it out in its
 * POSIX modes, which reads bundles back ({@code BundleWriterTest} compares the two byte for byte).
 *
 * <p>Written here rather than by that stream because its first header initialises commons-io's time
 * helpers and, through them, {@link java.math.BigDecimal}, whose class initialisation computes
 * tables with BigInteger arithmetic: about 12 ms of CPU on JDK 25, on the critical path of every
 * seal, for a header of fixed fields.
 */
final class TarHeader {
    static final int RECORD = 512;
    /** The end-of-archive marker: two zero records. */
    static final int END_OF_ARCHIVE = 2 * RECORD;
    /** A ustar name field, and the length from which a name goes to a pax record. */
    private static final int NAME = 100;
    /** The largest number that 11 octal digits hold: the size and mtime fields. */
    private static final long MAX_11 = 077777777777L;
    private static final String PAX_PREFIX = "./PaxHeaders.X/";

    private TarHeader() {
    }

    /**
     * The header records of a regular file of {@code size} bytes named {@code name}, mode 0600,
     * owned by 0:0 without user or group names, modified at {@code mtime} (seconds since the epoch).
     */
    static byte[] file(String name, long size, long mtime) {
        // A HashMap, as commons-compress collects the records: its iteration order is the records' order.
        Map<String, String> pax = new HashMap<>();
        if (name.getBytes(StandardCharsets.UTF_8).length >= NAME) {
            pax.put("path", name);
        }
        if (size < 0 || size > MAX_11) {
            pax.put("size", Long.toString(size));
        }
        if (mtime < 0 || mtime > MAX_11) {
            pax.put("mtime", Long.toString(mtime));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(pax.isEmpty() ? RECORD : 4 * RECORD);
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            String paxName = PAX_PREFIX + sevenBits(name);
            if (paxName.length() >= NAME) {
                paxName = paxName.substring(0, NAME - 1);
            }
            out.writeBytes(header(paxName, 0100644, records.length, mtime, (byte) 'x'));
            out.writeBytes(records);
            out.write(new byte[padding(records.length)], 0, padding(records.length));
        }
        out.writeBytes(header(name, 0100600, size, mtime, (byte) '0'));
        return out.toByteArray();
    }

    /** The zeros that follow an entry of {@code size} bytes up to the next record. */
    static int padding(long size) {
        return (int) (-size & (RECORD - 1));
    }

    /** Pax records: "LENGTH key=value\n" each, LENGTH counting the whole record, its own digits included. */
    private static byte[] paxRecords(Map<String, String> pax) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : pax.entrySet()) {
            byte[] rest = (" " + e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
            int length = rest.length;
            while (Integer.toString(length).length() + rest.length != length) {
                length = Integer.toString(length).length() + rest.length;
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(rest);
        }
        return out.toByteArray();
    }

    /** A pax header's name: each character cut to 7 bits, with NUL, '/' and '\' then made '_'. */
    private static String sevenBits(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = (char) (name.charAt(i) & 0x7f);
            b.append(c == 0 || c == '/' || c == '\\' ? '_' : c);
        }
        return b.toString();
    }

    /**
     * One ustar header record. Numbers that do not fit their field are written as 0 there (a pax
     * record carries them); the name is cut to the longest prefix whose UTF-8 fits 100 bytes.
     */
    private static byte[] header(String name, int mode, long size, long mtime, byte type) {
        byte[] h = new byte[RECORD];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        for (int chars = Math.min(name.length(), NAME); n.length > NAME; chars--) {
            n = name.substring(0, chars).getBytes(StandardCharsets.UTF_8);
        }
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0); // uid
        octal(h, 116, 8, 0); // gid
        octal(h, 124, 12, size >= 0 && size <= MAX_11 ? size : 0);
        octal(h, 136, 12, mtime >= 0 && mtime <= MAX_11 ? mtime : 0);
        h[156] = type;
        // linkname (157, 100 bytes) stays empty
        ascii(h, 257, "ustar\0" + "00");
        // uname (265) and gname (297), 32 bytes each, stay empty
        octal(h, 329, 8, 0); // devmajor
        octal(h, 337, 8, 0); // devminor
        // the checksum is the sum of the record's bytes with its own field as spaces: 6 digits, NUL, space
        ascii(h, 148, "        ");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String digits = Long.toOctalString(sum);
        ascii(h, 148, "0".repeat(6 - digits.length()) + digits + "\0 ");
        return h;
    }

    /** {@code value} in octal, zero-padded to {@code length - 1} digits, then a space. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        ascii(h, offset, "0".repeat(length - 1 - digits.length()) + digits + " ");
    }

    private static void ascii(byte[] h, int offset, String s) {
        for (int i = 0; i < s.length(); i++) {
            h[offset + i] = (byte) s.charAt(i);
        }
    }
}
