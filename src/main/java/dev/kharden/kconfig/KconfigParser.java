package dev.kharden.kconfig;

import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.input.Warning;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a kernel .config (plain or gzip-compressed, e.g. /proc/config.gz). Unlike stricter tools it
 * keeps going past lines it does not understand and past duplicate options (the last one wins, as in
 * Kconfig), reporting each as a warning with its line; a file with no options at all is an error.
 */
public final class KconfigParser {
    private static final Pattern HEADER =
            Pattern.compile("#\\s*Linux/\\S+\\s+(\\d+\\.\\d+(?:\\.\\d+)?)\\S*\\s+Kernel Configuration.*");

    private KconfigParser() {
    }

    public static KernelConfig parse(Path path) {
        return parse(TextSource.read(path));
    }

    public static KernelConfig parse(TextSource source) {
        String src = source.name();
        String text = source.text();
        // Sized for the options a config of this length holds (about one per 28 bytes): no rehashing.
        Map<String, String> values = HashMap.newHashMap(Math.max(16, text.length() / 24));
        List<Warning> warnings = new ArrayList<>();
        Optional<KernelVersion> version = Optional.empty();
        boolean anyText = false;
        int n = 0;
        int pos = 0;
        int len = text.length();
        // One pass with indexOf/startsWith rather than per-line copies: these JDK methods are compiled
        // (and intrinsified) early, which keeps a cold one-config audit fast.
        while (pos < len) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? len : nl;
            int from = pos;
            pos = end + 1;
            n++;
            while (from < end && text.charAt(from) <= ' ') {
                from++;
            }
            int to = end;
            while (to > from && text.charAt(to - 1) <= ' ') {
                to--;
            }
            if (from == to) {
                continue;
            }
            anyText = true;
            String name;
            String value;
            if (text.startsWith("CONFIG_", from)) {
                int eq = text.indexOf('=', from);
                if (eq < 0 || eq >= to || !isName(text, from, eq)) {
                    warnings.add(new Warning(src, n, "unexpected line ignored: " + abbreviate(text.substring(from, to))));
                    continue;
                }
                name = text.substring(from, eq);
                value = text.substring(eq + 1, to);
                if (value.isEmpty()) {
                    warnings.add(new Warning(src, n, name + " has an empty value"));
                }
            } else if (text.charAt(from) == '#') {
                if (text.startsWith(" is not set", to - " is not set".length())) {
                    int b = from + 1;
                    int e = to - " is not set".length();
                    while (b < e && text.charAt(b) == ' ') {
                        b++;
                    }
                    if (!isName(text, b, e)) {
                        continue;
                    }
                    name = text.substring(b, e);
                    value = KernelConfig.NOT_SET;
                } else {
                    if (version.isEmpty() && text.startsWith("# Linux", from)) {
                        Matcher m = HEADER.matcher(text.substring(from, to));
                        if (m.matches()) {
                            version = KernelVersion.parse(m.group(1));
                        }
                    }
                    continue;
                }
            } else {
                warnings.add(new Warning(src, n, "unexpected line ignored: " + abbreviate(text.substring(from, to))));
                continue;
            }
            String previous = values.put(name, value);
            if (previous != null && !previous.equals(value)) {
                warnings.add(new Warning(src, n, name + " is set again (was " + previous + "); the last value wins"));
            }
        }
        if (!anyText) {
            throw InputException.ofFile(src, "is empty; expected a kernel .config");
        }
        if (values.isEmpty()) {
            throw InputException.ofFile(src, "contains no CONFIG_ options; is it a kernel .config?");
        }
        return new KernelConfig(src, Collections.unmodifiableMap(values), detectArch(values, src, warnings), version,
                List.copyOf(warnings));
    }

    /** Whether {@code s[begin, end)} is CONFIG_ followed by letters, digits and underscores (no regex: hot path). */
    static boolean isName(String s, int begin, int end) {
        if (end - begin <= 7 || !s.startsWith("CONFIG_", begin)) {
            return false;
        }
        for (int i = begin + 7; i < end; i++) {
            char c = s.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Arch> detectArch(Map<String, String> values, String src, List<Warning> warnings) {
        List<Arch> found = new ArrayList<>();
        for (Arch a : Arch.values()) {
            if ("y".equals(values.get(a.marker()))) {
                found.add(a);
            }
        }
        if (found.size() > 1) {
            warnings.add(new Warning(src, 0, "declares several architectures " + found + "; pass --arch"));
            return Optional.empty();
        }
        return found.stream().findFirst();
    }

    private static String abbreviate(String line) {
        return line.length() > 80 ? line.substring(0, 77) + "..." : line;
    }
}
