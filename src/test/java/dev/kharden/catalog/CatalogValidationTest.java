package dev.kharden.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.input.InputException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Loads the real built-in catalogue and holds it to the rules of docs/catalog-format.md. */
class CatalogValidationTest {
    @Test
    void builtInCatalogueHasNoProblems() {
        List<InputException> problems = CatalogLoader.validateBuiltIn();
        assertThat(problems).extracting(InputException::getMessage).isEmpty();
    }

    @Test
    void everyFeatureIsDocumentedAndEveryCheckIsStrictest() {
        Catalog c = CatalogLoader.load();
        assertThat(c.bugClasses()).hasSize(25);
        assertThat(c.profiles()).containsKeys("developer", "server", "handset", "kspp");
        for (Feature f : c.features()) {
            assertThat(f.bugClasses()).as(f.id()).isNotEmpty();
            assertThat(f.summary()).as(f.id() + " summary is one line").doesNotContain("\n");
            assertThat(f.explanation().length()).as(f.id() + " explanation").isGreaterThan(40);
            for (Check ch : f.checks()) {
                // kspp is the strictest profile: it requires every check some profile requires.
                assertThat(ch.profiles()).as(ch.id()).contains("kspp");
            }
        }
    }

    @Test
    void everyBugClassHasAtLeastOneFeature() {
        Catalog c = CatalogLoader.load();
        Set<String> used = new HashSet<>();
        c.features().forEach(f -> used.addAll(f.bugClasses()));
        assertThat(used).containsAll(c.bugClasses().keySet());
    }

    @Test
    void invalidCatalogueFilesAreRejectedWithFileAndLine() {
        List<InputException> problems = CatalogLoader.validate("/dev/kharden/catalog/invalid-fixture/");
        assertThat(problems).extracting(InputException::getMessage).anySatisfy(m ->
                assertThat(m).startsWith("catalog/features-bad.json:").contains("unknown key 'colour'"));
        assertThat(problems).extracting(InputException::getMessage)
                .anyMatch(m -> m.contains("duplicate check id 'kconfig:CONFIG_A'"))
                .anyMatch(m -> m.contains("unknown bug class 'BC99'"))
                .anyMatch(m -> m.contains("has no bug class"))
                .anyMatch(m -> m.contains("duplicate feature id or alias 'twice'"))
                .anyMatch(m -> m.contains("unknown profile 'paranoid'"))
                .anyMatch(m -> m.contains("is not a number"));
    }
}
