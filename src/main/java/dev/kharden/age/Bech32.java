package dev.kharden.age;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * Bech32 (BIP 173) as age uses it for keys: no length limit, all-upper or all-lower case, checksum
 * over the lower-case form. age identities are upper case, recipients lower case.
 */
public final class Bech32 {
    private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static final int[] GENERATOR = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};

    /** A decoded string: its human-readable part (lower case) and its data bytes. */
    public record Decoded(String hrp, byte[] data) {
    }

    private Bech32() {
    }

    /** Encodes {@code data} under {@code hrp}; upper case if {@code hrp} is. */
    public static String encode(String hrp, byte[] data) {
        boolean upper = !hrp.equals(hrp.toLowerCase(Locale.ROOT));
        String lowerHrp = hrp.toLowerCase(Locale.ROOT);
        byte[] values = convertBits(data, 8, 5, true);
        byte[] checksum = checksum(lowerHrp, values);
        StringBuilder sb = new StringBuilder(lowerHrp).append('1');
        for (byte v : values) {
            sb.append(CHARSET.charAt(v));
        }
        for (byte v : checksum) {
            sb.append(CHARSET.charAt(v));
        }
        String s = sb.toString();
        return upper ? s.toUpperCase(Locale.ROOT) : s;
    }

    /** Decodes {@code s}, or returns null when it is not valid Bech32. */
    public static Decoded decode(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (!s.equals(lower) && !s.equals(s.toUpperCase(Locale.ROOT))) {
            return null;
        }
        int sep = lower.lastIndexOf('1');
        if (sep < 1 || sep + 7 > lower.length()) {
            return null;
        }
        String hrp = lower.substring(0, sep);
        for (int i = 0; i < hrp.length(); i++) {
            char c = hrp.charAt(i);
            if (c < 33 || c > 126) {
                return null;
            }
        }
        byte[] values = new byte[lower.length() - sep - 1];
        for (int i = 0; i < values.length; i++) {
            int v = CHARSET.indexOf(lower.charAt(sep + 1 + i));
            if (v < 0) {
                return null;
            }
            values[i] = (byte) v;
        }
        if (polymod(expandHrp(hrp), values) != 1) {
            return null;
        }
        byte[] payload = new byte[values.length - 6];
        System.arraycopy(values, 0, payload, 0, payload.length);
        byte[] data = convertBits(payload, 5, 8, false);
        return data == null ? null : new Decoded(hrp, data);
    }

    private static byte[] checksum(String hrp, byte[] values) {
        byte[] withZeros = new byte[values.length + 6];
        System.arraycopy(values, 0, withZeros, 0, values.length);
        int mod = polymod(expandHrp(hrp), withZeros) ^ 1;
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
        }
        return out;
    }

    private static byte[] expandHrp(String hrp) {
        byte[] out = new byte[hrp.length() * 2 + 1];
        for (int i = 0; i < hrp.length(); i++) {
            out[i] = (byte) (hrp.charAt(i) >> 5);
            out[i + hrp.length() + 1] = (byte) (hrp.charAt(i) & 31);
        }
        return out;
    }

    private static int polymod(byte[] hrp, byte[] values) {
        int chk = 1;
        for (byte[] part : new byte[][] {hrp, values}) {
            for (byte v : part) {
                int top = chk >>> 25;
                chk = ((chk & 0x1ffffff) << 5) ^ v;
                for (int i = 0; i < 5; i++) {
                    if (((top >>> i) & 1) != 0) {
                        chk ^= GENERATOR[i];
                    }
                }
            }
        }
        return chk;
    }

    private static byte[] convertBits(byte[] in, int from, int to, boolean pad) {
        int acc = 0;
        int bits = 0;
        int maxv = (1 << to) - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length * from / to + 1);
        for (byte b : in) {
            int v = b & 0xff;
            if ((v >>> from) != 0) {
                return null;
            }
            acc = (acc << from) | v;
            bits += from;
            while (bits >= to) {
                bits -= to;
                out.write((acc >>> bits) & maxv);
            }
        }
        if (pad) {
            if (bits > 0) {
                out.write((acc << (to - bits)) & maxv);
            }
        } else if (bits >= from || ((acc << (to - bits)) & maxv) != 0) {
            return null;
        }
        return out.toByteArray();
    }
}
