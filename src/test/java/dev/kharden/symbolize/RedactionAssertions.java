package dev.kharden.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a redacted log independently of the redactor's own scanner: a plain regular expression
 * finds every hex number, and the kernel-space rules are restated here from the documentation.
 */
final class RedactionAssertions {
    private static final Pattern HEX = Pattern.compile("(?<![0-9A-Za-z_+/])(?:0x)?([0-9a-fA-F]{8,16})(?![0-9A-Za-z_+])");
    private static final Pattern SYMBOLIC = Pattern.compile("[A-Za-z_.][A-Za-z0-9_.$]*\\+0x[0-9a-f]+/0x[0-9a-f]+");

    private RedactionAssertions() {
    }

    static void assertSafe(OopsReport original, Redactor.Result redacted) {
        List<String> leaks = new ArrayList<>();
        for (String line : redacted.lines()) {
            if (line.stripLeading().startsWith("Code:")) {
                assertThat(line).contains(Redactor.REDACTED);
                continue;
            }
            Matcher m = HEX.matcher(line);
            while (m.find()) {
                long v = Long.parseUnsignedLong(m.group(1), 16);
                if (kernelSpace(original.arch(), v)) {
                    leaks.add(m.group() + " in: " + line);
                }
            }
            assertThat(line).doesNotContainPattern("Kernel Offset: *0x");
        }
        assertThat(leaks).as("kernel-space values left after redaction").isEmpty();
        String all = String.join("\n", redacted.lines());
        for (String line : original.lines()) {
            if (line.contains("Code:")) {
                continue;
            }
            Matcher m = SYMBOLIC.matcher(line);
            while (m.find()) {
                assertThat(all).as("symbolic frame kept").contains(m.group());
            }
        }
        assertThat(redacted.lines()).hasSameSizeAs(original.lines());
    }

    /**
     * {@code combined} redacts the concatenation of the logs that {@code parts} redacted one by one:
     * every digit a part masked is masked in the combined output too, and every line a part replaced
     * is replaced alike.
     */
    static void assertMasksAtLeast(Redactor.Result combined, List<Redactor.Result> parts) {
        List<String> missed = new ArrayList<>();
        int at = 0;
        for (Redactor.Result part : parts) {
            for (String alone : part.lines()) {
                String together = combined.lines().get(at++);
                if (alone.contains(Redactor.REDACTED)) {
                    if (!together.equals(alone)) {
                        missed.add(together);
                    }
                    continue;
                }
                for (int k = 0; k < alone.length(); k++) {
                    if (alone.charAt(k) == Redactor.MASK && together.charAt(k) != Redactor.MASK) {
                        missed.add(together);
                        break;
                    }
                }
            }
        }
        assertThat(at).isEqualTo(combined.lines().size());
        assertThat(missed).as("lines masked alone but not in the concatenated log").isEmpty();
        assertThat(combined.maskedValues()).isGreaterThanOrEqualTo(parts.stream().mapToInt(Redactor.Result::maskedValues).sum());
    }

    /** x86-64 >= 0xffff800000000000; arm64 bits 52..55 set; i386 >= 0xc0000000; unknown: all of them. */
    private static boolean kernelSpace(Arch arch, long v) {
        boolean x86 = Long.compareUnsigned(v, 0xffff800000000000L) >= 0;
        boolean arm64 = ((v >>> 52) & 0xf) == 0xf;
        boolean i386 = v >>> 32 == 0 && v >= 0xc0000000L;
        return switch (arch) {
            case X86_64 -> x86;
            case ARM64 -> arm64;
            case I386, ARM -> i386;
            case UNKNOWN -> x86 || arm64 || i386;
        };
    }
}
