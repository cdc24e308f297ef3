package dev.kharden.sysctl;

import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.input.Warning;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses `sysctl -a` output (also sysctl.conf-style {@code key=value} lines), including the
 * "permission denied" lines sysctl prints on standard error when not run as root, and reads live
 * values from /proc/sys.
 */
public final class SysctlParser {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9/*._-]+");
    private static final Pattern DENIED_LINE =
            Pattern.compile("sysctl: (?:permission denied on key|reading key) '([A-Za-z0-9/*._-]+)'.*");

    private SysctlParser() {
    }

    public static Sysctls parse(Path path) {
        return parse(TextSource.read(path));
    }

    public static Sysctls parse(TextSource text) {
        String src = text.name();
        Map<String, String> values = new HashMap<>();
        List<Warning> warnings = new ArrayList<>();
        int n = 0;
        for (String raw : text.lines()) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("sysctl:")) {
                Matcher m = DENIED_LINE.matcher(line);
                if (m.matches()) {
                    values.put(normaliseKey(m.group(1)), Sysctls.DENIED);
                } else {
                    warnings.add(new Warning(src, n, "sysctl reported: " + line));
                }
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? "" : line.substring(0, eq).strip();
            if (eq < 0 || !KEY.matcher(key).matches()) {
                warnings.add(new Warning(src, n, "unexpected line ignored (expected 'key = value')"));
                continue;
            }
            values.put(normaliseKey(key), line.substring(eq + 1).strip());
        }
        if (values.isEmpty()) {
            throw InputException.ofFile(src, text.lines().isEmpty()
                    ? "is empty; expected the output of `sysctl -a`"
                    : "contains no 'key = value' lines; expected the output of `sysctl -a`");
        }
        if (!values.containsKey("kernel.printk")) {
            warnings.add(new Warning(src, 0, "kernel.printk is missing: this may not be the full output of `sysctl -a`"));
        }
        return new Sysctls(src, Map.copyOf(values), List.copyOf(warnings));
    }

    /** Reads the given keys from a /proc/sys tree; unreadable keys get {@link Sysctls#DENIED}. */
    public static Sysctls readLive(Path procSys, Collection<String> keys) {
        Map<String, String> values = new HashMap<>();
        for (String key : keys) {
            Path file = procSys.resolve(key.replace('.', '/'));
            try {
                String v = readProcFile(file).strip().replaceAll("\\s+", "\t");
                values.put(key, v);
            } catch (NoSuchFileException e) {
                // absent on this kernel: the check sees "not found"
            } catch (AccessDeniedException e) {
                values.put(key, Sysctls.DENIED);
            } catch (IOException e) {
                values.put(key, Sysctls.DENIED);
            }
        }
        return new Sysctls(procSys.toString(), Map.copyOf(values), List.of());
    }

    /**
     * Reads a /proc/sys file in one large read: these files report size 0, and the kernel's sysctl
     * handlers answer a read at a non-zero offset with end-of-file, so a reader that starts with a
     * small buffer (as Files.readString does for a size-0 file) gets only the first byte ("4" for 4096).
     */
    public static String readProcFile(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(1 << 16), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** sysctl accepts both kernel.x and kernel/x spellings; kharden keys use dots. */
    static String normaliseKey(String key) {
        return key.indexOf('/') >= 0 ? key.replace('/', '.') : key;
    }
}
