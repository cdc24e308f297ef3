package dev.kharden.age;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Strict ASCII armor (RFC 7468 strict PEM, label "AGE ENCRYPTED FILE"), decoded line by line so
 * memory stays flat. Whitespace is allowed only before and after the block; lines are 64 columns
 * except the last, padding only at the end, canonical base64 only, LF or CRLF. Anything looser
 * would make armored files malleable.
 */
final class ArmorReader extends InputStream {
    static final String BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    static final String END = "-----END AGE ENCRYPTED FILE-----";
    private static final int COLUMNS = 64;

    private final InputStream src;
    private byte[] chunk = new byte[0];
    private int pos;
    private boolean started;
    private boolean ended;

    ArmorReader(InputStream src) {
        this.src = src;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == chunk.length) {
            if (ended) {
                return -1;
            }
            nextLine();
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    private void nextLine() throws IOException {
        if (!started) {
            int c;
            do {
                c = src.read();
            } while (c == ' ' || c == '\t' || c == '\r' || c == '\n');
            String first = (c < 0 ? "" : String.valueOf((char) c)) + readLine(BEGIN.length() + 1);
            if (!first.equals(BEGIN)) {
                throw fail("does not start with \"" + BEGIN + "\"");
            }
            started = true;
        }
        String line = readLine(COLUMNS + 1);
        if (line == null) {
            throw fail("no \"" + END + "\" line");
        }
        if (line.equals(END)) {
            finish();
            return;
        }
        if (line.length() > COLUMNS) {
            throw fail("line longer than 64 columns");
        }
        if (line.isEmpty()) {
            throw fail("empty line");
        }
        byte[] decoded = decodeLine(line);
        if (line.length() < COLUMNS || line.endsWith("=")) {
            // The short (or padded) line is the last one: END must follow.
            String end = readLine(COLUMNS + 1);
            if (!END.equals(end)) {
                throw fail("data after the last (short or padded) line");
            }
            finish();
        }
        chunk = decoded;
        pos = 0;
    }

    private byte[] decodeLine(String line) throws AgeException {
        if (line.length() % 4 != 0) {
            throw fail("line length not a multiple of 4 (missing padding?)");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            boolean pad = c == '=' && i >= line.length() - 2 && (i == line.length() - 1 || line.charAt(line.length() - 1) == '=');
            if (!Base64Strict.isBase64Char(c) && !pad) {
                throw fail("character outside base64 in line");
            }
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            throw fail("bad base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(decoded).equals(line)) {
            throw fail("non-canonical base64");
        }
        return decoded;
    }

    /** After END: only whitespace may follow, up to the end of the input. */
    private void finish() throws IOException {
        ended = true;
        int c;
        while ((c = src.read()) >= 0) {
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                throw fail("data after \"" + END + "\"");
            }
        }
    }

    /** Reads a line without its LF or CRLF; null at end of input; a lone CR is refused. */
    private String readLine(int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = src.read();
            if (c < 0) {
                return sb.isEmpty() ? null : sb.toString();
            }
            if (c == '\n') {
                return sb.toString();
            }
            if (c == '\r') {
                if (src.read() != '\n') {
                    throw fail("CR not followed by LF");
                }
                return sb.toString();
            }
            if (c < 0x20 || c > 0x7e) {
                throw fail("byte 0x" + Integer.toHexString(c) + " in armor");
            }
            if (sb.length() >= max) {
                throw fail("line longer than 64 columns");
            }
            sb.append((char) c);
        }
    }

    private static AgeException fail(String detail) {
        return new AgeException(AgeException.Kind.ARMOR, detail);
    }

    /**
     * True when {@code start} is not a binary age header and an armor line appears in it: such input
     * goes to the strict armor reader, so garbage around an armored file is reported as bad armor.
     */
    static boolean looksArmored(byte[] start, int n) {
        String head = new String(start, 0, n, StandardCharsets.ISO_8859_1);
        return !head.startsWith("age-encryption.org/") && head.contains("-----");
    }

    @Override
    public void close() throws IOException {
        src.close();
    }
}
