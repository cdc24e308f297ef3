package dev.kharden.modsig;

import java.util.HexFormat;

/** Formats key identifiers and fingerprints the way kernel tools print them (colon-separated hex). */
final class Hex {
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();
    private static final HexFormat PLAIN = HexFormat.of().withUpperCase();

    static String colons(byte[] b) {
        return COLONS.formatHex(b);
    }

    static String plain(byte[] b) {
        return PLAIN.formatHex(b);
    }

    private Hex() {
    }
}
