package dev.kharden.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** The compiled catalogue (catalog.bin) must load to exactly what the JSON files say. */
class CatalogCodecTest {
    @Test
    void compiledFormRoundTripsToTheJsonCatalogue() throws Exception {
        Catalog json = CatalogLoader.loadJson(CatalogLoader.BUILT_IN);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(buf)) {
            CatalogCodec.write(json, d);
        }
        Catalog back = CatalogCodec.read(new DataInputStream(new ByteArrayInputStream(buf.toByteArray())));
        assertThat(back.bugClasses()).isEqualTo(json.bugClasses());
        assertThat(back.profiles()).isEqualTo(json.profiles());
        assertThat(back.features()).isEqualTo(json.features());
    }

    @Test
    void theBuildShipsAnUpToDateCompiledCatalogue() {
        Catalog shipped = CatalogLoader.load();
        assertThat(shipped.features()).isEqualTo(CatalogLoader.loadJson(CatalogLoader.BUILT_IN).features());
        assertThat(CatalogLoader.class.getResource(CatalogLoader.BUILT_IN + "catalog.bin")).isNotNull();
    }
}
