package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/**
 * kharden's tar headers are the records commons-compress's tar stream writes in its POSIX modes for
 * the same entry, byte for byte: short and long names, names whose UTF-8 crosses the 100-byte field,
 * pax header names that need cutting, and numbers too big for their fields.
 */
class TarHeaderTest {
    private static final long MAX_11 = 077777777777L;

    /** The records a commons-compress tar stream writes for the entry's header. */
    private static byte[] reference(String name, long size, long mtime) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarArchiveOutputStream t = new TarArchiveOutputStream(out, 512, "UTF-8");
        t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        e.setMode(0100600);
        e.setModTime(mtime * 1000);
        e.setIds(0, 0);
        e.setNames("", "");
        t.putArchiveEntry(e);
        return out.toByteArray();
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of("extra/f", "proc/kallsyms", "audit/report.json", "MANIFEST.json",
                "extra/" + "x".repeat(93), "extra/" + "x".repeat(94), "extra/" + "x".repeat(95), "extra/" + "x".repeat(300),
                "extra/\u00e9" + "y".repeat(91), "extra/\u00e9" + "y".repeat(92), "extra/\u00e9" + "y".repeat(93),
                "extra/" + "\u20ac".repeat(40), "extra/\u65e5\u672c\u8a9e.log", "extra/back\\slash" + "z".repeat(90),
                "extra/" + "\ud83d\ude00".repeat(30), "extra/2-" + "a-name-longer-than-the-hundred-bytes-of-a-ustar-header-".repeat(3)));
        return names;
    }

    @Test
    void headersAreThoseOfCommonsCompress() throws IOException {
        long now = 1_796_000_000L;
        for (String name : names()) {
            for (long size : new long[] {0, 1, 511, 512, MAX_11, MAX_11 + 1, 1L << 40}) {
                for (long mtime : new long[] {0, now, MAX_11, MAX_11 + 1}) {
                    assertThat(TarHeader.file(name, size, mtime)).as("%s size %d mtime %d", name, size, mtime)
                            .isEqualTo(reference(name, size, mtime));
                }
            }
        }
    }

    /** And a tar reader gets the entry back: the full name, size and time, whatever went to pax records. */
    @Test
    void aTarReaderReadsTheEntryBack() throws IOException {
        for (String name : names()) {
            for (long size : new long[] {3, MAX_11 + 1}) {
                byte[] h = TarHeader.file(name, size, 1_796_000_000L);
                assertThat(h.length % TarHeader.RECORD).isZero();
                try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(h), "UTF-8")) {
                    TarArchiveEntry e = in.getNextEntry();
                    assertThat(e.getName()).isEqualTo(name);
                    assertThat(e.getSize()).isEqualTo(size);
                    assertThat(e.getMode()).isEqualTo(0100600);
                    assertThat(e.getModTime().getTime()).isEqualTo(1_796_000_000_000L);
                    assertThat(e.getUserName()).isEmpty();
                }
            }
        }
    }

    @Test
    void paddingReachesTheNextRecord() {
        assertThat(TarHeader.padding(0)).isZero();
        assertThat(TarHeader.padding(1)).isEqualTo(511);
        assertThat(TarHeader.padding(512)).isZero();
        assertThat(TarHeader.padding(MAX_11 + 2)).isEqualTo(511);
    }
}
