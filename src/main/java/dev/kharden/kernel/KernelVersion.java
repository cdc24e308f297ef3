package dev.kharden.kernel;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A mainline kernel version (major.minor.patch), compared numerically; suffixes are dropped. */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** Parses the leading version of strings such as "6.1.0-56-amd64" or "5.4"; empty if none. */
    public static Optional<KernelVersion> parse(String text) {
        Matcher m = VERSION.matcher(text.trim());
        if (!m.lookingAt()) {
            return Optional.empty();
        }
        try {
            int major = Integer.parseInt(m.group(1));
            int minor = Integer.parseInt(m.group(2));
            int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            if (major < 2 || major > 99) {
                return Optional.empty();
            }
            return Optional.of(new KernelVersion(major, minor, patch));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public int compareTo(KernelVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
