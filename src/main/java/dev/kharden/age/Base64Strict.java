package dev.kharden.age;

import java.util.Base64;

/**
 * age's base64: standard alphabet, no padding, canonical only. The spec requires decoders to reject
 * padding and non-canonical encodings (trailing bits set), because either would make the header
 * malleable without changing what it means.
 */
final class Base64Strict {
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private Base64Strict() {
    }

    static String encode(byte[] data) {
        return ENCODER.encodeToString(data);
    }

    /** Decodes {@code s}, or returns null if it is not canonical unpadded base64. */
    static byte[] decode(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isBase64Char(s.charAt(i))) {
                return null;
            }
        }
        if (s.length() % 4 == 1) {
            return null;
        }
        byte[] out;
        try {
            out = DECODER.decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // Canonical means the unused low bits of the last character are zero; re-encoding tells.
        return ENCODER.encodeToString(out).equals(s) ? out : null;
    }

    static boolean isBase64Char(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
