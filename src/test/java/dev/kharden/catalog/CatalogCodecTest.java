package dev.kharden.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
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
        Catalog back = CatalogCodec.read(buf.toByteArray());
        assertThat(back.bugClasses()).isEqualTo(json.bugClasses());
        assertThat(back.profiles()).isEqualTo(json.profiles());
        assertThat(back.features()).isEqualTo(json.features());
    }

    @Test
    void nonAsciiTextRoundTrips() throws Exception {
        Catalog json = CatalogLoader.loadJson(CatalogLoader.BUILT_IN);
        Feature f = json.features().get(0);
        Feature accented = new Feature(f.id(), f.aliases(), "Härtung \u2014 \u0000 \uD83D\uDD12", "résumé", "explication \u00e9",
                f.bugClasses(), f.origin(), f.since(), f.arch(), f.cost(), f.breaks(), f.references(), f.profiles(),
                f.checks(), f.source());
        java.util.List<Feature> features = new java.util.ArrayList<>(json.features());
        features.set(0, accented);
        Catalog changed = new Catalog(json.bugClasses(), json.profiles(), features);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(buf)) {
            CatalogCodec.write(changed, d);
        }
        Catalog back = CatalogCodec.read(buf.toByteArray());
        assertThat(back.features().get(0).title()).isEqualTo(accented.title());
        assertThat(back.features().get(0).summary()).isEqualTo("résumé");
        assertThat(back.features()).isEqualTo(changed.features());
    }

    @Test
    void aTruncatedCompiledFormIsAnErrorNotAHalfCatalogue() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(buf)) {
            CatalogCodec.write(CatalogLoader.loadJson(CatalogLoader.BUILT_IN), d);
        }
        byte[] all = buf.toByteArray();
        for (int cut : new int[] {0, 1, 7, all.length / 2, all.length - 1}) {
            assertThatThrownBy(() -> CatalogCodec.read(java.util.Arrays.copyOf(all, cut)))
                    .as("cut at %d", cut).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void thePreloadedCatalogueIsTheBuiltInOneSharedByTheProcess() {
        CatalogLoader.preloadTask().run();
        Catalog first = CatalogLoader.load(java.util.List.of());
        assertThat(CatalogLoader.load(java.util.List.of())).isSameAs(first);
        assertThat(first.features()).isEqualTo(CatalogLoader.loadJson(CatalogLoader.BUILT_IN).features());
    }

    @Test
    void theBuildShipsAnUpToDateCompiledCatalogue() {
        Catalog shipped = CatalogLoader.load();
        assertThat(shipped.features()).isEqualTo(CatalogLoader.loadJson(CatalogLoader.BUILT_IN).features());
        assertThat(CatalogLoader.class.getResource(CatalogLoader.BUILT_IN + "catalog.bin")).isNotNull();
    }
}
