package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelVersionTest {
    @Test
    void parsesTheUsualSpellings() {
        assertThat(KernelVersion.parse("6.1")).contains(new KernelVersion(6, 1));
        assertThat(KernelVersion.parse("v4.17")).contains(new KernelVersion(4, 17));
        assertThat(KernelVersion.parse("6.1.0-56-amd64")).contains(new KernelVersion(6, 1));
        assertThat(KernelVersion.parse("7")).isEmpty();
        assertThat(KernelVersion.parse("banana")).isEmpty();
        assertThat(KernelVersion.parse("1.2")).isEmpty();
    }

    @Test
    void ordersByMajorThenMinor() {
        assertThat(new KernelVersion(5, 18).compareTo(new KernelVersion(5, 8))).isPositive();
        assertThat(new KernelVersion(4, 17).atLeast(4, 18)).isFalse();
        assertThat(new KernelVersion(7, 0).atLeast(6, 19)).isTrue();
    }

    @Test
    void readsAKernelTreesMakefile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Makefile"), "# SPDX\nVERSION = 4\nPATCHLEVEL = 17\nSUBLEVEL = 0\n");
        assertThat(KernelVersion.ofTree(dir)).contains(new KernelVersion(4, 17));
        assertThat(KernelVersion.ofTree(dir.resolve("nowhere"))).isEmpty();
    }
}
