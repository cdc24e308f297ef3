package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.age.Age;
import dev.kharden.age.X25519Identity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BundleWriter frames each entry itself (header records from TarHeader, then the bytes straight
 * into the cipher, then padding): the tar must be byte for byte the one that a single
 * commons-compress tar stream writes for the same entries, at every record, chunk and read-buffer
 * boundary, for entries held in memory and streamed files alike.
 */
class BundleWriterTest {
    private static final X25519Identity KEY = X25519Identity.generate();
    private static final int C = 64 * 1024;
    private static final Instant NOW = Instant.parse("2026-11-28T16:51:23Z");

    @TempDir
    Path tmp;

    /** The plaintext tar of a bundle of {@code files}, each added by addFile when {@code streamed}, else by add. */
    private byte[] bundle(Map<String, Path> files, boolean streamed) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        BundleWriter w = new BundleWriter(Age.encrypt(sealed, List.of(KEY.recipient())), NOW);
        w.collector("extra");
        for (Map.Entry<String, Path> f : files.entrySet()) {
            if (streamed) {
                w.addFile(f.getKey(), f.getValue(), "source");
            } else {
                w.add(f.getKey(), Files.readAllBytes(f.getValue()), "source");
            }
        }
        w.finish("kharden test", null);
        try (InputStream in = Age.decrypt(new ByteArrayInputStream(sealed.toByteArray()), List.of(KEY))) {
            return in.readAllBytes();
        }
    }

    /** The same entries (the manifest included) written by one commons-compress tar stream. */
    private static byte[] reference(byte[] tar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out, 512, "UTF-8")) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey(), true);
                te.setSize(e.getValue().length);
                te.setMode(0100600);
                te.setModTime(NOW.toEpochMilli());
                te.setIds(0, 0);
                te.setNames("", "");
                t.putArchiveEntry(te);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
            t.finish();
        }
        return out.toByteArray();
    }

    @Test
    void entriesAreFramedExactlyAsOneCommonsCompressTarStreamFramesThem() throws IOException {
        Random rnd = new Random(11);
        int[] sizes = {0, 1, 511, 512, 513, C - 1, C, C + 1, 2 * C - 512, ReadAhead.BUFFER, ReadAhead.BUFFER + 1,
            3 * ReadAhead.BUFFER + C + 7};
        Map<String, Path> files = new LinkedHashMap<>();
        for (int size : sizes) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            files.put("extra/f" + size, Files.write(tmp.resolve("f" + size), b));
        }
        // A name longer than a ustar header holds: PAX records come first.
        files.put("extra/" + "a-name-longer-than-the-hundred-bytes-of-a-ustar-header-".repeat(3) + "end",
                Files.write(tmp.resolve("long"), new byte[] {1, 2, 3}));
        for (boolean streamed : new boolean[] {true, false}) {
            byte[] tar = bundle(files, streamed);
            assertThat(tar).as(streamed ? "streamed" : "in memory").isEqualTo(reference(tar));
            assertThat(tar.length % 512).isZero();
            // Each file alone too: its entry then starts at another offset within a payload chunk.
            for (Map.Entry<String, Path> f : files.entrySet()) {
                byte[] one = bundle(Map.of(f.getKey(), f.getValue()), streamed);
                assertThat(one).as(f.getKey()).isEqualTo(reference(one));
            }
        }
    }
}
