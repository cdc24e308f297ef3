package dev.kharden.input;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a small text input (a .config, /proc/cmdline, `sysctl -a` output) into lines, the same way
 * for every parser: gzip is undone transparently (/proc/config.gz), and a missing, unreadable,
 * binary, oversized or undecodable file becomes an {@link InputException} naming it.
 */
public final class TextSource {
    /** Kernel configs are ~300 KiB; anything past this is not a text input we audit. */
    public static final int MAX_BYTES = 64 << 20;

    private final String name;
    private final String text;
    private List<String> lines;

    private TextSource(String name, String text) {
        this.name = name;
        this.text = text;
    }

    public String name() {
        return name;
    }

    /** The whole decoded text (for parsers that walk it with indexOf: fast in a cold JVM). */
    public String text() {
        return text;
    }

    public List<String> lines() {
        if (lines == null) {
            lines = text.lines().toList();
        }
        return lines;
    }

    /**
     * What ends each of {@link #lines()}: "\n", "\r\n" or "\r", and "" for a last line without
     * one; so that the lines and their ends give back the text exactly.
     */
    public List<String> lineEnds() {
        List<String> ends = new java.util.ArrayList<>(lines().size());
        int n = text.length();
        boolean open = false; // a line has begun and not ended
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                ends.add("\n");
                open = false;
            } else if (c == '\r') {
                boolean crlf = i + 1 < n && text.charAt(i + 1) == '\n';
                ends.add(crlf ? "\r\n" : "\r");
                i += crlf ? 1 : 0;
                open = false;
            } else {
                open = true;
            }
        }
        if (open) {
            ends.add("");
        }
        return ends;
    }

    /** Reads {@code path}; {@code display} is how errors name it. */
    public static TextSource read(Path path) {
        return read(path, false);
    }

    /**
     * Reads {@code path}; {@code exact}: bytes that are not UTF-8 are kept as {@link ExactUtf8}
     * escapes instead of U+FFFD, so that the text encodes back to the input byte for byte (what
     * redact needs).
     */
    public static TextSource read(Path path, boolean exact) {
        String display = path.toString();
        if (Files.isDirectory(path)) {
            throw InputException.ofFile(display, "is a directory, expected a file");
        }
        byte[] raw;
        try (InputStream in = Files.newInputStream(path)) {
            raw = readBounded(in, display);
        } catch (NoSuchFileException e) {
            throw InputException.ofFile(display, "no such file");
        } catch (AccessDeniedException e) {
            throw InputException.ofFile(display, "permission denied");
        } catch (IOException e) {
            throw InputException.ofFile(display, "cannot read: " + e.getMessage());
        }
        return fromBytes(display, raw, exact);
    }

    /** Reads already-loaded bytes (standard input, a test, a fuzzer). */
    public static TextSource fromBytes(String display, byte[] raw) {
        return fromBytes(display, raw, false);
    }

    /** As {@link #fromBytes(String, byte[])}; {@code exact} as for {@link #read(Path, boolean)}. */
    public static TextSource fromBytes(String display, byte[] raw, boolean exact) {
        byte[] data = raw;
        if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
                data = readBounded(in, display);
            } catch (IOException e) {
                throw InputException.ofFile(display, "is gzip-compressed but truncated or corrupt ("
                        + e.getMessage() + ")");
            }
        }
        // Kernel inputs are ASCII in practice; bytes that are not UTF-8 become U+FFFD and the audit goes on.
        String text = exact ? ExactUtf8.decode(data) : new String(data, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            throw InputException.ofFile(display, "is a binary file, not text");
        }
        return new TextSource(display, text);
    }

    private static byte[] readBounded(InputStream in, String display) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > MAX_BYTES) {
                throw InputException.ofFile(display, "is larger than " + (MAX_BYTES >> 20)
                        + " MiB; not a kernel text input");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
