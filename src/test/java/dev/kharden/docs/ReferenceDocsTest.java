package dev.kharden.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.catalog.Feature;
import dev.kharden.input.InputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated reference: complete, joined to the defence map, and the committed copy in docs/reference is current. */
class ReferenceDocsTest {
    private static Catalog catalog;
    private static DefenceMap map;
    private static Map<String, String> files;

    @BeforeAll
    static void generate() {
        catalog = CatalogLoader.load();
        map = DefenceMap.load();
        files = ReferenceDocs.generate(catalog, map);
    }

    @Test
    void committedReferenceIsNotStale() throws Exception {
        Path committed = Path.of(System.getProperty("user.dir"), ReferenceDocs.COMMITTED);
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = committed.resolve(e.getKey());
            if (!Files.isRegularFile(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
                stale.add(e.getKey());
            }
        }
        if (Files.isDirectory(committed.resolve("features"))) {
            try (Stream<Path> s = Files.list(committed.resolve("features"))) {
                s.map(p -> "features/" + p.getFileName()).filter(n -> !files.containsKey(n)).forEach(n -> stale.add(n + " (extra)"));
            }
        }
        assertThat(stale).as("%s is stale (%d files differ from the catalogue); refresh it with: %s",
                ReferenceDocs.COMMITTED, stale.size(), ReferenceDocs.REFRESH).isEmpty();
    }

    @Test
    void everyFeatureHasAPageWithEveryFact() {
        for (Feature f : catalog.features()) {
            String page = files.get("features/" + f.id() + ".md");
            assertThat(page).as(f.id()).isNotNull()
                    .contains("# ").contains("`" + f.id() + "`")
                    .contains("| Defends against |").contains("| Lineage |").contains("| PaX/grsecurity name |")
                    .contains("| Landed in |").contains("| Cost |").contains("| Can break |").contains("## Per profile");
            for (String p : catalog.profiles().keySet()) {
                assertThat(page).as(f.id() + " profile " + p).containsPattern("(?m)^\\| " + p + " \\|");
            }
            for (String bc : f.bugClasses()) {
                assertThat(page).contains("](../README.md#" + bc.toLowerCase() + ")");
            }
            f.checks().forEach(c -> assertThat(page).contains("`" + c.id() + "`"));
            // Unknown stays unknown: an absent fact is written as such, never filled in.
            if (f.since() == null) {
                assertThat(page).contains("| Landed in | not established |");
            }
        }
    }

    @Test
    void indexListsEveryFeatureUnderEachOfItsBugClasses() {
        String index = files.get("README.md");
        for (String bc : catalog.bugClasses().keySet()) {
            assertThat(index).contains("<a id=\"" + bc.toLowerCase() + "\"></a>");
        }
        for (Feature f : catalog.features()) {
            int links = index.split("\\]\\(features/" + f.id() + "\\.md\\)", -1).length - 1;
            assertThat(links).as(f.id()).isEqualTo(f.bugClasses().size());
        }
    }

    @Test
    void defenceMapJoinsTheCatalogue() {
        assertThat(map.nodes()).hasSizeGreaterThan(150);
        assertThat(map.edges()).hasSizeGreaterThan(150);
        long linked = map.nodes().stream().filter(n -> n.feature() != null).count();
        assertThat(linked).isGreaterThan(80);
        for (DefenceMap.Node n : map.nodes()) {
            if (n.feature() != null) {
                assertThat(catalog.feature(n.feature())).as(n.name() + " -> " + n.feature()).isPresent();
                assertThat(n.isDefence()).as(n.name()).isTrue();
            }
            if (n.bugClass() != null) {
                assertThat(catalog.bugClasses()).as(n.name()).containsKey(n.bugClass());
            }
        }
        String dot = files.get("defence-map.dot");
        assertThat(dot).startsWith("// Generated").contains("digraph defence_map {").endsWith("}\n");
        for (DefenceMap.Node n : map.nodes()) {
            assertThat(dot).contains("  " + DefenceMapDot.q(n.name()) + " [");
        }
        for (DefenceMap.Edge e : map.edges()) {
            assertThat(dot).contains("  " + DefenceMapDot.q(e.from()) + " -> " + DefenceMapDot.q(e.to()) + " [");
        }
        assertThat(dot).contains("URL=\"features/slab-freelist-hardened.md\"");
        assertThat(files.get("features/slab-freelist-hardened.md")).contains("## In the defence map").contains("Double Free");
    }

    @Test
    void generationIsDeterministic() {
        assertThat(ReferenceDocs.generate(catalog, map)).isEqualTo(files);
    }

    @Test
    void badDefenceMapsAreOneLineErrorsWithTheLine() {
        assertThatThrownBy(() -> read("{\"schema\": \"kharden-defence-map/1\", \"nodes\": [{\"name\": \"a\", \"category\": \"mainline\"}],\n"
                + "\"edges\": [{\"from\": \"a\", \"to\": \"b\", \"kind\": \"mitigates\"}]}"))
                .isInstanceOf(InputException.class).hasMessageContaining("unknown node");
        assertThatThrownBy(() -> read("{\"schema\": \"other/2\", \"nodes\": [], \"edges\": []}"))
                .isInstanceOf(InputException.class).hasMessageContaining("expected kharden-defence-map/1");
        assertThatThrownBy(() -> read("{\"schema\": \"kharden-defence-map/1\",\n\"nodes\": [{\"name\": 3}]}"))
                .isInstanceOf(InputException.class).hasMessageContaining(":2:").hasMessageContaining("'name' must be a string");
        assertThatThrownBy(() -> read("{\"schema\": \"kharden-defence-map/1\",\n\"nodes\": [{\"category\": \"x\"}]}"))
                .isInstanceOf(InputException.class).hasMessageContaining("missing 'name'");
        assertThatThrownBy(() -> read("{\"schema\": \"kharden-defence-map/1\", \"nodes\": [\n{]"))
                .isInstanceOf(InputException.class).hasMessageContaining("test.json");
    }

    private static DefenceMap read(String json) throws Exception {
        return DefenceMap.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }
}
