package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our own C fixtures with inline expectations, error-prone style: a line carrying
 * {@code /* EXPECT: helper *}{@code /} must produce exactly that finding (helper named), and every
 * other line must produce nothing. The first line may set options: {@code kharden-scan: --kernel-version
 * 6.1 --macros-as-constants}.
 */
class ScanFixturesTest {
    private static final Pattern EXPECT = Pattern.compile("/\\* EXPECT: ([^*]+?) \\*/");

    @ParameterizedTest
    @ValueSource(strings = {"alloc.c", "struct.c", "copy.c", "macros.c", "macros-as-variables.c", "broken.c",
        "typed-7.0.c", "old-4.17.c"})
    void findingsMatchTheMarkersExactly(String fixture) throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream(fixture)) {
            assertThat(in).as(fixture).isNotNull();
            bytes = in.readAllBytes();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        ScanOptions options = optionsFrom(lines.get(0));

        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = EXPECT.matcher(lines.get(i));
            if (m.find()) {
                expected.add((i + 1) + ": " + m.group(1).strip());
            }
        }
        FileResult result = new CFileScanner(options).scan(fixture, bytes);
        TreeSet<String> actual = new TreeSet<>();
        for (Finding f : result.findings()) {
            actual.add(f.line() + ": " + f.helper());
        }
        assertThat(result.status()).isEqualTo(FileResult.Status.SCANNED);
        assertThat(expected).as("fixture %s has markers", fixture).isNotEmpty();
        assertThat(actual).as("findings of %s (line: helper)", fixture).containsExactlyElementsOf(expected);
    }

    static ScanOptions optionsFrom(String header) {
        KernelVersion v = KernelVersion.DEFAULT;
        Matcher m = Pattern.compile("--kernel-version (\\S+)").matcher(header);
        if (m.find()) {
            v = KernelVersion.parse(m.group(1)).orElseThrow();
        }
        return ScanOptions.defaults(v).withMacrosAsVariables(!header.contains("--macros-as-constants"));
    }

}
