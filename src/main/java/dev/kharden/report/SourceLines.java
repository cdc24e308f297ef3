package dev.kharden.report;

import dev.kharden.catalog.OptionType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds the line where an input file sets an option, so a SARIF result can point at it. Reads each
 * file at most once; anything it cannot place (compressed or unreadable files, options the file does
 * not mention, the one-line command line) is line 1, the whole file. Never fails the report.
 */
public final class SourceLines implements LineLocator {
    private final Map<String, Map<String, Integer>> byFile = new HashMap<>();

    @Override
    public int lineOf(String file, OptionType type, String option) {
        return byFile.computeIfAbsent(file, SourceLines::index).getOrDefault(key(type, option), 1);
    }

    private static String key(OptionType type, String option) {
        return type.id() + ":" + option;
    }

    private static Map<String, Integer> index(String file) {
        Map<String, Integer> lines = new HashMap<>();
        Path p;
        try {
            p = Path.of(file);
        } catch (RuntimeException e) {
            return lines; // not a path this system can open (e.g. a NUL byte): no line numbers
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(2);
            if (head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return lines; // gzip (/proc/config.gz): line numbers would not help a reader anyway
            }
        } catch (IOException | RuntimeException e) {
            return lines;
        }
        try {
            int n = 0;
            for (String line : Files.readAllLines(p, StandardCharsets.ISO_8859_1)) {
                n++;
                String t = line.strip();
                if (t.startsWith("CONFIG_") && t.indexOf('=') > 0) {
                    lines.putIfAbsent(key(OptionType.KCONFIG, t.substring(0, t.indexOf('='))), n);
                } else if (t.startsWith("# CONFIG_") && t.endsWith(" is not set")) {
                    lines.putIfAbsent(key(OptionType.KCONFIG, t.substring(2, t.length() - 11)), n);
                } else if (t.indexOf('=') > 0) {
                    lines.putIfAbsent(key(OptionType.SYSCTL, t.substring(0, t.indexOf('=')).strip()), n);
                }
            }
        } catch (IOException | RuntimeException e) {
            lines.clear();
        }
        return lines;
    }
}
