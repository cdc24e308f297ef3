package dev.kharden.symbolize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.input.InputException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The kallsyms / System.map reader and /proc/modules reader: layout, sizes, aliases, errors. */
class SymbolTableTest {
    private static SymbolTable kallsyms(String text) {
        return SymbolTable.read("k", text.getBytes(StandardCharsets.US_ASCII), SymbolTable.Format.KALLSYMS);
    }

    private static SymbolTable systemMap(String text) {
        return SymbolTable.read("m", text.getBytes(StandardCharsets.US_ASCII), SymbolTable.Format.SYSTEM_MAP);
    }

    private static KernelSymbols source(SymbolTable t, ModuleList m) {
        return new KernelSymbols(t, 0, m, new KaslrOffset(0, KaslrOffset.Origin.RUNTIME_SYMBOLS, ""));
    }

    @Test
    void sizesRunToTheNextSymbolOfTheSameOwner() {
        SymbolTable t = kallsyms("""
                ffffffff81000000 T _text
                ffffffff81000100 T first
                ffffffff81000140 t second
                ffffffff81000200 T _etext
                ffffffffc0a00020 t mod_b\t[m]
                ffffffffc0a00000 t mod_a\t[m]
                """);
        KernelSymbols s = source(t, ModuleList.empty());
        assertThat(s.resolve(0xffffffff81000100L).symbolized()).isEqualTo("first+0x0/0x40");
        assertThat(s.resolve(0xffffffff8100013fL).symbolized()).isEqualTo("first+0x3f/0x40");
        assertThat(s.resolve(0xffffffff810001ffL).symbolized()).isEqualTo("second+0xbf/0xc0");
        assertThat(s.resolve(0xffffffff81000200L)).as("past _etext").isNull();
        assertThat(s.resolve(0xffffffffc0a00004L).symbolized()).isEqualTo("mod_a+0x4/0x20 [m]");
        assertThat(s.resolve(0xffffffffc0a00024L)).as("last symbol of a module, module size unknown").isNull();
        ModuleList mods = ModuleList.readProcModules("mods", List.of("m 4096 0 - Live 0xffffffffc0a00000 (O)"));
        assertThat(source(t, mods).resolve(0xffffffffc0a00024L).symbolized()).isEqualTo("mod_b+0x4/0xfe0 [m]");
        assertThat(source(t, mods).resolve(0xffffffffc0a01000L)).as("past the module").isNull();
        assertThat(t.hasOwner("m")).isTrue();
        assertThat(t.hasOwner("other")).isFalse();
    }

    @Test
    void dataSymbolsAreNotText() {
        SymbolTable t = kallsyms("""
                ffffffff81000000 T fn
                ffffffff81000100 d some_data
                ffffffff81000200 T other
                """);
        assertThat(source(t, ModuleList.empty()).resolve(0xffffffff81000104L)).isNull();
    }

    @Test
    void systemMapAliasesFollowTheKernelsOrder() {
        // nm -n order puts the weak and the linker-script symbol first; kallsyms would print "real_fn"
        SymbolTable t = systemMap("""
                ffffffff81000000 T _text
                ffffffff81000100 W weak_fn
                ffffffff81000100 T __irqentry_text_start
                ffffffff81000100 t __real_fn
                ffffffff81000100 T real_fn
                ffffffff81000200 T next
                0000000000000000 A __crc_thing
                ffffffff81000000 U undefined_thing
                """);
        assertThat(source(t, ModuleList.empty()).resolve(0xffffffff81000110L).symbolized()).isEqualTo("real_fn+0x10/0x100");
        assertThat(t.size()).isEqualTo(6); // absolute and undefined symbols are dropped
    }

    @Test
    void namedSymbolsInOnePass() {
        SymbolTable t = kallsyms("""
                c1000000 T _text
                c1000100 t dup
                c1000180 t dup
                c1000200 T solo
                c1000300 T end_marker_free
                """);
        Map<String, List<SymbolSource.SymbolRange>> named = source(t, ModuleList.empty()).named(Set.of("dup", "solo", "absent"));
        assertThat(named.get("dup")).extracting(SymbolSource.SymbolRange::size).containsExactly(0x80L, 0x80L);
        assertThat(named.get("solo")).singleElement().extracting(SymbolSource.SymbolRange::start).isEqualTo(0xc1000200L);
        assertThat(named).doesNotContainKey("absent");
        assertThat(t.coreAddress("_text")).hasValue(0xc1000000L);
    }

    @Test
    void zeroedKallsymsIsExplained() {
        assertThatThrownBy(() -> kallsyms("""
                0000000000000000 T _text
                0000000000000000 t fn
                """))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("every address is zero")
                .hasMessageContaining("kptr_restrict");
        assertThatThrownBy(() -> ModuleList.readProcModules("mods", List.of("zfs 6479872 6 - Live 0x0000000000000000 (PO)")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("every module address is zero");
    }

    @Test
    void badLinesNameTheLine() {
        assertThatThrownBy(() -> kallsyms("ffffffff81000000 T _text\nnot a symbol line\n"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("k:2: expected a hex address");
        assertThatThrownBy(() -> kallsyms("ffffffff81000000 T\n"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("k:1:");
        assertThatThrownBy(() -> kallsyms("ffffffff81000000 t f\t[unterminated\n"))
                .hasMessageContaining("unterminated [module]");
        assertThatThrownBy(() -> kallsyms("ffffffff81000000 t f [m] extra\n"))
                .hasMessageContaining("unexpected text");
        assertThatThrownBy(() -> kallsyms("\n\n"))
                .hasMessageContaining("has no symbols");
        assertThatThrownBy(() -> ModuleList.readProcModules("mods", List.of("zfs 64 6 - Live")))
                .hasMessageStartingWith("mods:1: expected 'name size refcount deps state address'");
        assertThatThrownBy(() -> ModuleList.readProcModules("mods", List.of("zfs big 6 - Live 0xffffffffc0000000")))
                .hasMessageContaining("size is not a number");
    }

    @Test
    void crlfAndGzipAreAccepted() throws Exception {
        SymbolTable t = kallsyms("ffffffff81000000 T _text\r\nffffffff81000010 T fn\r\nffffffff81000020 T end\r\n");
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.name(1)).isEqualTo("fn");
        java.nio.file.Path gz = java.nio.file.Files.createTempFile("kallsyms", ".gz");
        try (var out = new java.util.zip.GZIPOutputStream(java.nio.file.Files.newOutputStream(gz))) {
            out.write("ffffffff81000000 T _text\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(SymbolTable.read(gz, SymbolTable.Format.KALLSYMS).size()).isEqualTo(1);
        java.nio.file.Files.delete(gz);
        assertThatThrownBy(() -> SymbolTable.read(gz, SymbolTable.Format.KALLSYMS)).hasMessageEndingWith("no such file");
    }
}
