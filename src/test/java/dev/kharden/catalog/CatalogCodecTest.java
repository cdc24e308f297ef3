package dev.kharden.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.List;
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
        // the option keys a live audit reads, worked out when compiling: the same, in the same (sorted) order
        for (OptionType t : OptionType.values()) {
            assertThat(back.optionKeys(t)).as(t.name()).containsExactlyElementsOf(json.optionKeys(t));
        }
        assertThat(List.copyOf(back.optionKeys(OptionType.SYSCTL))).contains("kernel.kptr_restrict").isSorted();
        assertThat(List.copyOf(back.optionKeys(OptionType.RUNTIME))).isNotEmpty().isSorted();
        // every key a check tests, and every key its conditions test, and nothing else
        for (OptionType t : OptionType.values()) {
            java.util.Set<String> expected = new java.util.TreeSet<>();
            for (Feature f : json.features()) {
                for (Check c : f.checks()) {
                    if (c.type() == t) {
                        expected.add(c.option());
                    }
                    for (Expr e : concat(c.anyOf(), c.allOf(), c.requires())) {
                        refs(e, t, expected);
                    }
                }
            }
            assertThat(back.optionKeys(t)).as(t.name()).containsExactlyElementsOf(expected);
        }
    }

    @SafeVarargs
    private static List<Expr> concat(List<Expr>... lists) {
        List<Expr> all = new java.util.ArrayList<>();
        for (List<Expr> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    private static void refs(Expr e, OptionType t, java.util.Set<String> out) {
        if (e instanceof Expr.OptionTest ot) {
            if (ot.ref().type() == t) {
                out.add(ot.ref().name());
            }
            if (ot.predicate() instanceof Predicate.Compare cmp && cmp.bound().ref() != null && cmp.bound().ref().type() == t) {
                out.add(cmp.bound().ref().name());
            }
        } else if (e instanceof Expr.Any a) {
            a.parts().forEach(p -> refs(p, t, out));
        } else if (e instanceof Expr.All a) {
            a.parts().forEach(p -> refs(p, t, out));
        } else if (e instanceof Expr.Not n) {
            refs(n.part(), t, out);
        }
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
