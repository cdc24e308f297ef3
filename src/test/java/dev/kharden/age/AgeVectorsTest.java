package dev.kharden.age;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector of the age test kit (C2SP CCTV) in the shared corpus, through {@link Age#decrypt}:
 * success with the right payload hash, or the expected failure kind, with the plaintext released
 * before a payload failure matching the vector's hash too.
 */
class AgeVectorsTest {
    static Stream<Path> vectors() throws IOException {
        String shared = System.getProperty("kharden.shared", "../shared");
        Path dir = Path.of(shared, "corpus", "age-vectors");
        Assumptions.assumeTrue(Files.isDirectory(dir), dir + " absent: skipping the age test vectors");
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList().stream();
        }
    }

    record Vector(String expect, String payload, List<Identity> identities, boolean compressed, byte[] body) {
    }

    static Vector load(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int i = 0;
        String expect = null;
        String payload = null;
        boolean compressed = false;
        List<Identity> ids = new ArrayList<>();
        while (true) {
            int eol = i;
            while (all[eol] != '\n') {
                eol++;
            }
            String line = new String(all, i, eol - i, StandardCharsets.UTF_8);
            i = eol + 1;
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(": ");
            String key = line.substring(0, colon);
            String value = line.substring(colon + 2);
            switch (key) {
                case "expect" -> expect = value;
                case "payload" -> payload = value;
                case "identity" -> ids.add(AgeKeys.parseIdentity(value));
                case "passphrase" -> ids.add(new ScryptIdentity(value));
                case "compressed" -> compressed = value.equals("zlib");
                default -> {
                }
            }
        }
        assertThat(ids).doesNotContainNull();
        byte[] body = java.util.Arrays.copyOfRange(all, i, all.length);
        return new Vector(expect, payload, ids, compressed, body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vectorGivesItsExpectedResult(Path file) throws Exception {
        Vector v = load(file);
        InputStream raw = new ByteArrayInputStream(v.body());
        if (v.compressed()) {
            raw = new InflaterInputStream(raw);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String outcome = "success";
        try (InputStream in = Age.decrypt(raw, v.identities())) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        } catch (AgeException e) {
            outcome = switch (e.kind()) {
                case ARMOR -> "armor failure";
                case HEADER -> "header failure";
                case NO_MATCH -> "no match";
                case HMAC -> "HMAC failure";
                case PAYLOAD -> "payload failure";
            };
            if (!outcome.equals(v.expect())) {
                fail("expected " + v.expect() + " but got " + outcome + ": " + e.getMessage());
            }
        }
        assertThat(outcome).isEqualTo(v.expect());
        if (v.payload() != null) {
            assertThat(HexFormat.of().formatHex(sha.digest())).as("SHA-256 of the released plaintext").isEqualTo(v.payload());
        }
    }
}
