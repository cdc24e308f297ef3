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
                if (kernelSpace(original.arch(), v, m.group(1).length())) {
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

    /** x86-64 >= 0xffff800000000000; arm64 bits 52..55 set; i386 >= 0xc0000000; unknown: all, by width. */
    private static boolean kernelSpace(Arch arch, long v, int digits) {
        boolean x86 = Long.compareUnsigned(v, 0xffff800000000000L) >= 0;
        boolean arm64 = ((v >>> 52) & 0xf) == 0xf;
        boolean i386 = v >>> 32 == 0 && v >= 0xc0000000L;
        return switch (arch) {
            case X86_64 -> x86;
            case ARM64 -> arm64;
            case I386, ARM -> i386;
            case UNKNOWN -> digits > 8 ? x86 || arm64 : i386;
        };
    }
}
