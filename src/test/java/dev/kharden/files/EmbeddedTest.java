package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddedTest {
    @Test
    void bytesComeBackExactlyAcrossSeveralConstants() throws Exception {
        byte[] data = new byte[75_000]; // three string constants, every byte value, NULs included
        new Random(7).nextBytes(data);
        data[0] = 0;
        data[1] = (byte) 0xff;
        String name = "dev.kharden.files.EmbeddedTestData";
        MethodHandles.lookup().defineClass(EmbeddedWriter.classFile(name, data));
        assertThat(Embedded.bytes(name)).isEqualTo(data);
    }

    @Test
    void noSuchClassIsNull() {
        assertThat(Embedded.bytes("dev.kharden.files.NoSuchEmbeddedData")).isNull();
    }

    @Test
    void theBuildEmbedsTheCompiledCatalogueAndTheVersion() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/dev/kharden/catalog/catalog.bin");
                InputStream version = getClass().getResourceAsStream("/dev/kharden/version.properties")) {
            assertThat(Embedded.bytes("dev.kharden.catalog.CatalogData")).isEqualTo(in.readAllBytes());
            assertThat(Embedded.bytes("dev.kharden.report.VersionData")).isEqualTo(version.readAllBytes());
        }
    }
}
