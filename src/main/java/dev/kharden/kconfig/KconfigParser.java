package dev.kharden.kconfig;

import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.input.Warning;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.nio.file.Path;
import java.util.ArrayList;
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

    public static KernelConfig parse(TextSource text) {
        String src = text.name();
        List<String> lines = text.lines();
        Map<String, String> values = new HashMap<>(lines.size() * 2);
        List<Warning> warnings = new ArrayList<>();
        Optional<KernelVersion> version = Optional.empty();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String name;
            String value;
            if (line.startsWith("CONFIG_")) {
                int eq = line.indexOf('=');
                if (eq < 0 || !isName(line, eq)) {
                    warnings.add(new Warning(src, n, "unexpected line ignored: " + abbreviate(line)));
                    continue;
                }
                name = line.substring(0, eq);
                value = line.substring(eq + 1);
                if (value.isEmpty()) {
                    warnings.add(new Warning(src, n, name + " has an empty value"));
                }
            } else if (line.startsWith("#")) {
                if (line.endsWith(" is not set")) {
                    String body = line.substring(1, line.length() - " is not set".length()).strip();
                    if (isName(body, body.length())) {
                        name = body;
                        value = KernelConfig.NOT_SET;
                    } else {
                        continue;
                    }
                } else {
                    if (version.isEmpty() && line.startsWith("# Linux")) {
                        Matcher m = HEADER.matcher(line);
                        if (m.matches()) {
                            version = KernelVersion.parse(m.group(1));
                        }
                    }
                    continue;
                }
            } else {
                warnings.add(new Warning(src, n, "unexpected line ignored: " + abbreviate(line)));
                continue;
            }
            String previous = values.put(name, value);
            if (previous != null && !previous.equals(value)) {
                warnings.add(new Warning(src, n, name + " is set again (was " + previous + "); the last value wins"));
            }
        }
        if (lines.isEmpty() || lines.stream().allMatch(String::isBlank)) {
            throw InputException.ofFile(src, "is empty; expected a kernel .config");
        }
        if (values.isEmpty()) {
            throw InputException.ofFile(src, "contains no CONFIG_ options; is it a kernel .config?");
        }
        return new KernelConfig(src, Map.copyOf(values), detectArch(values, src, warnings), version,
                List.copyOf(warnings));
    }

    /** Whether {@code s[0, end)} is CONFIG_ followed by letters, digits and underscores (no regex: hot path). */
    static boolean isName(String s, int end) {
        if (end <= 7 || !s.startsWith("CONFIG_")) {
            return false;
        }
        for (int i = 7; i < end; i++) {
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
