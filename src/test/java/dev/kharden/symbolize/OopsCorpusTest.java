package dev.kharden.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.input.TextSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every real log in the shared corpus parses with every frame as written down, by reading the log,
 * in {@code corpus/NN.frames}; and redacting it leaves no kernel-space address and every symbolic frame.
 */
class OopsCorpusTest {
    static Path corpus() {
        String shared = System.getProperty("kharden.shared", "../shared");
        return Path.of(shared, "corpus", "oops");
    }

    static Stream<String> logs() {
        return Stream.of("01", "04", "06", "08", "10", "11", "13");
    }

    private static OopsReport parse(String id) {
        Path log = corpus().resolve(id + ".txt");
        Assumptions.assumeTrue(Files.isRegularFile(log), "../shared absent: skipping corpus log " + id);
        return OopsParser.parse(TextSource.read(log));
    }

    @ParameterizedTest(name = "corpus log {0}")
    @MethodSource("logs")
    void everyFrameParses(String id) throws IOException {
        OopsReport report = parse(id);
        List<String> expected = FrameExpectations.read(resource("corpus/" + id + ".frames"));
        List<String> actual = report.frames().stream().map(FrameExpectations::describe).toList();
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "corpus log {0}")
    @MethodSource("logs")
    void redactionLeavesNoKernelAddressAndKeepsSymbolicFrames(String id) {
        OopsReport report = parse(id);
        Redactor.Result r = Redactor.redact(report, false);
        RedactionAssertions.assertSafe(report, r);
    }

    /**
     * Corpus logs of different architectures pasted into one file (x86-64, i386, arm64; then all of
     * them): the file masks every value that redacting each log alone masks.
     */
    @ParameterizedTest(name = "corpus logs {0}")
    @ValueSource(strings = {"04 06 11", "01 04 06 08 10 11 13"})
    void concatenatedLogsMaskEverythingTheSeparateRunsMask(String ids) {
        List<String> all = new ArrayList<>();
        List<Redactor.Result> alone = new ArrayList<>();
        for (String id : ids.split(" ")) {
            OopsReport report = parse(id);
            all.addAll(report.lines());
            alone.add(Redactor.redact(report, false));
        }
        OopsReport mixed = OopsParser.parse("corpus " + ids, all);
        Redactor.Result together = Redactor.redact(mixed, false);
        RedactionAssertions.assertMasksAtLeast(together, alone);
        RedactionAssertions.assertSafe(mixed, together);
    }

    static String resource(String name) throws IOException {
        try (InputStream in = OopsCorpusTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The expectation notation of corpus/README.md. */
    static final class FrameExpectations {
        static List<String> read(String text) {
            List<String> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip().replaceAll("\\s+", " "));
                }
            }
            return out;
        }

        /** Writes a parsed frame in the same notation, so the two can be compared line by line. */
        static String describe(Frame f) {
            StringBuilder sb = new StringBuilder();
            sb.append(f.line()).append(' ').append(f.kind().id()).append(' ').append(f.reliable() ? '+' : '?').append(' ');
            sb.append(f.address().isPresent() ? Long.toHexString(f.address().getAsLong()) : "-").append(' ');
            if (f.function() == null) {
                sb.append('-');
            } else {
                sb.append(f.function());
                if (f.offset() >= 0) {
                    sb.append("+0x").append(Long.toHexString(f.offset()));
                    if (f.size() >= 0) {
                        sb.append("/0x").append(Long.toHexString(f.size()));
                    }
                }
            }
            if (f.module() != null) {
                sb.append(" [").append(f.module()).append(f.buildId() == null ? "" : " " + f.buildId()).append(']');
            }
            if (f.source() != null) {
                sb.append(" src=").append(f.source());
            }
            if (f.inline()) {
                sb.append(" inline");
            }
            if (f.context() != null) {
                sb.append(" ctx=").append(f.context());
            }
            return sb.toString();
        }
    }
}
