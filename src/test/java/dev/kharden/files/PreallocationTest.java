package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kharden.crypto.JniCrypto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fallocate through the bridge: blocks reserved, size and bytes untouched, links not followed. */
class PreallocationTest {
    private static final long SIZE = 8L << 20;

    @TempDir
    Path dir;

    @BeforeEach
    void bridge() {
        assumeTrue(JniCrypto.bridgeLoaded(), "kharden's JNI bridge is not built here (no C compiler): nothing to reserve with");
    }

    /** st_blocks (512-byte units), as stat(1) reports it: the JDK does not expose it. */
    private static long blocks(Path f) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(p.waitFor()).as(out).isZero();
        return Long.parseLong(out);
    }

    @Test
    void reservesBlocksWithoutChangingSizeOrBytes() throws Exception {
        byte[] head = "kharden".getBytes(StandardCharsets.US_ASCII);
        // A name the locale must encode: the bridge opens the file by the JDK's own bytes for it.
        Path f = Files.write(dir.resolve("bündel.age.partial"), head);
        long before = blocks(f);
        boolean reserved = Preallocation.reserve(f, SIZE);
        String type = Files.getFileStore(dir).type();
        // Other filesystems may refuse fallocate; these never do.
        assumeTrue(reserved || Set.of("ext4", "xfs", "btrfs", "tmpfs").contains(type), "fallocate is refused on " + type);
        assertThat(reserved).as("fallocate on %s", type).isTrue();
        assertThat(blocks(f) * 512).isGreaterThanOrEqualTo(SIZE).isGreaterThan(before * 512);
        assertThat(Files.size(f)).isEqualTo(head.length);
        assertThat(Files.readAllBytes(f)).isEqualTo(head);
    }

    @Test
    void smallFilesLinksAndMissingFilesAreLeftAlone() throws Exception {
        Path f = Files.write(dir.resolve("small"), new byte[0]);
        assertThat(Preallocation.reserve(f, Preallocation.MIN_BYTES - 1)).isFalse();
        assertThat(blocks(f)).isZero();
        Path link = Files.createSymbolicLink(dir.resolve("link"), f);
        assertThat(Preallocation.reserve(link, SIZE)).as("a link is not followed").isFalse();
        assertThat(blocks(f)).isZero();
        assertThat(Preallocation.reserve(dir.resolve("missing"), SIZE)).isFalse();
        assertThat(Files.exists(dir.resolve("missing"))).isFalse();
    }
}
