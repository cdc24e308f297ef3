package dev.kharden.age;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The age v1 header: version line, recipient stanzas, MAC. Parsing is strict (the ABNF of the
 * spec, canonical base64, LF only) because every accepted variation is a way to alter a header
 * without changing its meaning; the MAC is checked over the exact bytes read, which strictness makes
 * equal to the canonical encoding.
 *
 * <p>Parsing reads one byte at a time from the given stream and stops right after the MAC line,
 * so the caller's stream is positioned at the payload nonce.
 */
public final class Header {
    static final String VERSION_LINE = "age-encryption.org/v1";
    private static final String VERSION_PREFIX = "age-encryption.org/";
    /** Longest header line accepted (the mlkem768x25519 argument line is ~1,500 bytes). */
    static final int MAX_LINE = 8 << 10;
    /** Largest header accepted, so a hostile file cannot make us buffer without end. */
    static final int MAX_HEADER = 1 << 20;

    private final List<Stanza> stanzas;
    private final byte[] mac;
    private final byte[] macInput;

    private Header(List<Stanza> stanzas, byte[] mac, byte[] macInput) {
        this.stanzas = List.copyOf(stanzas);
        this.mac = mac;
        this.macInput = macInput;
    }

    public List<Stanza> stanzas() {
        return stanzas;
    }

    /** Checks the header MAC with the unwrapped file key. */
    boolean macMatches(byte[] fileKey) {
        return java.security.MessageDigest.isEqual(mac, computeMac(fileKey, macInput));
    }

    static byte[] computeMac(byte[] fileKey, byte[] macInput) {
        byte[] hmacKey = Primitives.hkdf(fileKey, new byte[0], "header".getBytes(StandardCharsets.US_ASCII));
        return Primitives.hmacSha256(hmacKey, macInput);
    }

    /** Encodes a header for {@code stanzas}, MACed with {@code fileKey}. */
    static byte[] encode(List<Stanza> stanzas, byte[] fileKey) {
        StringBuilder sb = new StringBuilder(VERSION_LINE).append('\n');
        for (Stanza s : stanzas) {
            sb.append("->");
            for (String a : s.args()) {
                sb.append(' ').append(a);
            }
            sb.append('\n');
            String body = Base64Strict.encode(s.body());
            int i = 0;
            for (; i + 64 <= body.length(); i += 64) {
                sb.append(body, i, i + 64).append('\n');
            }
            // The body always ends with a line shorter than 64 columns, possibly empty.
            sb.append(body, i, body.length()).append('\n');
        }
        sb.append("---");
        byte[] macInput = sb.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] mac = computeMac(fileKey, macInput);
        return Primitives.concat(macInput, (" " + Base64Strict.encode(mac) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Parses a header from {@code in}; errors of the stream itself (armor) pass through untouched. */
    static Header parse(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream(512);
        String version = readLine(in, seen, "version line");
        if (!version.equals(VERSION_LINE)) {
            throw fail(version.startsWith(VERSION_PREFIX)
                    ? "unsupported age version \"" + version.substring(VERSION_PREFIX.length()) + "\""
                    : "not an age file (no \"" + VERSION_LINE + "\" line)");
        }
        List<Stanza> stanzas = new ArrayList<>();
        String line = readLine(in, seen, "stanza or MAC line");
        while (true) {
            if (line.startsWith("---")) {
                if (stanzas.isEmpty()) {
                    throw fail("header has no recipient stanza");
                }
                if (!line.startsWith("--- ")) {
                    throw fail("malformed MAC line");
                }
                String encoded = line.substring(4);
                byte[] mac = encoded.length() == 43 ? Base64Strict.decode(encoded) : null;
                if (mac == null) {
                    throw fail("malformed MAC (not 32 bytes of canonical base64)");
                }
                byte[] all = seen.toByteArray();
                // The MAC covers the header up to and including "---", not the space after it.
                byte[] macInput = Arrays.copyOf(all, all.length - line.length() - 1 + 3);
                return new Header(stanzas, mac, macInput);
            }
            if (!line.startsWith("-> ")) {
                throw fail("expected a stanza (\"-> \") or the MAC line (\"--- \")");
            }
            List<String> args = List.of(line.substring(3).split(" ", -1));
            for (String a : args) {
                if (a.isEmpty()) {
                    throw fail("empty stanza argument");
                }
                for (int i = 0; i < a.length(); i++) {
                    char c = a.charAt(i);
                    if (c < 0x21 || c > 0x7e) {
                        throw fail("stanza argument with a character outside printable ASCII");
                    }
                }
            }
            StringBuilder body = new StringBuilder();
            while (true) {
                String b = readLine(in, seen, "stanza body");
                if (b.length() > 64) {
                    throw fail("stanza body line longer than 64 columns");
                }
                for (int i = 0; i < b.length(); i++) {
                    if (!Base64Strict.isBase64Char(b.charAt(i))) {
                        throw fail("stanza body line is not base64");
                    }
                }
                body.append(b);
                if (b.length() < 64) {
                    break;
                }
            }
            byte[] decoded = Base64Strict.decode(body.toString());
            if (decoded == null) {
                throw fail("stanza body is not canonical base64");
            }
            stanzas.add(new Stanza(args, decoded));
            line = readLine(in, seen, "stanza or MAC line");
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream seen, String what) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw fail("file ends inside the header (" + what + ")");
            }
            seen.write(b);
            if (seen.size() > MAX_HEADER) {
                throw fail("header larger than " + (MAX_HEADER >> 10) + " KiB");
            }
            if (b == '\n') {
                return sb.toString();
            }
            // Printable ASCII and space only: rejects CR (CRLF headers), NUL, and 8-bit bytes.
            if (b < 0x20 || b > 0x7e) {
                throw fail("byte 0x" + Integer.toHexString(b) + " in a header line");
            }
            if (sb.length() >= MAX_LINE) {
                throw fail("header line longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) b);
        }
    }

    static AgeException fail(String detail) {
        return new AgeException(AgeException.Kind.HEADER, detail);
    }
}
