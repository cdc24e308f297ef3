package dev.kharden.scan;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel release as major.minor, the granularity at which the overflow helpers appeared; it decides
 * which helper a finding suggests. Parsed from "6.1", "v4.17", "6.1.0-56-amd64" or a tree's Makefile.
 */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    /** What suggestions target when no version is given and none is found in the tree (an LTS). */
    public static final KernelVersion DEFAULT = new KernelVersion(6, 12);

    private static final Pattern TEXT = Pattern.compile("v?(\\d{1,2})\\.(\\d{1,3})(?:[.\\-+~].*)?");

    public KernelVersion {
        if (major < 2 || major > 99 || minor < 0 || minor > 999) {
            throw new IllegalArgumentException("not a kernel version: " + major + "." + minor);
        }
    }

    /** Parses "6.1", "v4.17", "6.1.0-56-amd64"; empty when the text is not a kernel version. */
    public static Optional<KernelVersion> parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        if (major < 2) {
            return Optional.empty();
        }
        return Optional.of(new KernelVersion(major, minor));
    }

    /** Reads VERSION and PATCHLEVEL from a kernel tree's top-level Makefile, if {@code dir} is one. */
    public static Optional<KernelVersion> ofTree(Path dir) {
        Path makefile = dir.resolve("Makefile");
        if (!Files.isRegularFile(makefile)) {
            return Optional.empty();
        }
        try {
            String head = new String(Files.readAllBytes(makefile), StandardCharsets.ISO_8859_1);
            Matcher v = Pattern.compile("(?m)^VERSION\\s*=\\s*(\\d+)\\s*$").matcher(head);
            Matcher p = Pattern.compile("(?m)^PATCHLEVEL\\s*=\\s*(\\d+)\\s*$").matcher(head);
            if (v.find() && p.find()) {
                return parse(v.group(1) + "." + p.group(1));
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            // Not a kernel Makefile we can read: fall back to the default.
        }
        return Optional.empty();
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
