package dev.kharden.symbolize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.symbolize.SyntheticKernel.Pick;
import dev.kharden.symbolize.SyntheticKernel.Style;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Symbolization against symbol tables the tests generate ({@link SyntheticKernel}), for x86-64,
 * i386 and arm64, with and without a KASLR offset: every frame must come out as the function and
 * offset the generator picked, and wrong symbols must be flagged.
 */
class SymbolizerTest {
    private static final int SYMBOLS = 3000;
    private static final int FRAMES = 25;

    static Stream<Arguments> styles() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(Arch.X86_64, Style.OLD_X86, 0L));
        out.add(Arguments.of(Arch.X86_64, Style.OLD_X86, 0x1a000000L));
        out.add(Arguments.of(Arch.X86_64, Style.MODERN_X86, 0L));
        out.add(Arguments.of(Arch.X86_64, Style.MODERN_X86, 0x2c600000L));
        out.add(Arguments.of(Arch.I386, Style.I386, 0L));
        out.add(Arguments.of(Arch.I386, Style.I386, 0x02400000L));
        out.add(Arguments.of(Arch.ARM64, Style.ARM64, 0L));
        out.add(Arguments.of(Arch.ARM64, Style.ARM64, 0x2a8a400000L));
        return out.stream();
    }

    private static SymbolTable kallsyms(SyntheticKernel k) {
        return SymbolTable.read("kallsyms", k.kallsyms().getBytes(StandardCharsets.US_ASCII), SymbolTable.Format.KALLSYMS);
    }

    private static SymbolTable systemMap(SyntheticKernel k) {
        return SymbolTable.read("System.map", k.systemMap().getBytes(StandardCharsets.US_ASCII), SymbolTable.Format.SYSTEM_MAP);
    }

    private static ModuleList modules(SyntheticKernel k) {
        return ModuleList.readProcModules("modules", k.procModules().lines().toList());
    }

    private static OopsReport log(String text) {
        return OopsParser.parse("oops", text.lines().toList());
    }

    private static Symbolizer.Result run(SymbolSources.Inputs in, OopsReport log) {
        List<String> notes = new ArrayList<>();
        return Symbolizer.symbolize(log, SymbolSources.build(in, log, notes), notes);
    }

    @ParameterizedTest(name = "{1} kallsyms, KASLR offset {2}")
    @MethodSource("styles")
    void kallsymsResolvesEveryFrameAndRegister(Arch arch, Style style, long offset) {
        SyntheticKernel k = SyntheticKernel.generate(arch, SYMBOLS, offset, 11);
        List<Pick> picks = k.picks(FRAMES);
        Pick target = picks.get(7);
        OopsReport log = log(k.oops(style, picks, target, false));
        Symbolizer.Result r = run(new SymbolSources.Inputs(kallsyms(k), null, modules(k), OptionalLong.empty()), log);

        assertFramesMatch(k, r, picks, true);
        assertThat(r.values()).extracting(v -> v.resolved().symbolized()).containsExactly(target.symbolic());
        assertThat(r.values().get(0).label()).isIn("RSI", "ESI", "x9");
        assertThat(r.disagreements()).isZero();
        assertThat(r.source().kaslrOffset().origin()).isEqualTo(KaslrOffset.Origin.RUNTIME_SYMBOLS);
    }

    @ParameterizedTest(name = "{1} System.map + Kernel Offset line, KASLR offset {2}")
    @MethodSource("styles")
    void systemMapShiftedByTheKernelOffsetLine(Arch arch, Style style, long offset) {
        SyntheticKernel k = SyntheticKernel.generate(arch, SYMBOLS, offset, 12);
        List<Pick> picks = k.picks(FRAMES);
        Pick target = picks.get(0).fn().module() == null ? picks.get(0) : picks.get(1);
        OopsReport log = log(k.oops(style, picks, target, true));
        Symbolizer.Result r = run(new SymbolSources.Inputs(null, systemMap(k), modules(k), OptionalLong.empty()), log);

        assertThat(r.source().kaslrOffset().value()).isEqualTo(offset);
        assertThat(r.source().kaslrOffset().origin()).isEqualTo(KaslrOffset.Origin.KERNEL_OFFSET_LINE);
        assertFramesMatch(k, r, picks, false);
        assertThat(r.values()).extracting(v -> v.resolved().symbolized()).containsExactly(target.symbolic());
        assertThat(r.disagreements()).isZero();
    }

    @ParameterizedTest(name = "{0} offset {2} found from raw frames")
    @MethodSource("styles")
    void systemMapOffsetFromRawFrames(Arch arch, Style style, long offset) {
        if (style == Style.MODERN_X86 || style == Style.ARM64) {
            return; // no raw frame addresses to vote with
        }
        SyntheticKernel k = SyntheticKernel.generate(arch, SYMBOLS, offset, 13);
        List<Pick> picks = k.picks(FRAMES);
        OopsReport log = log(k.oops(style, picks, picks.get(2), false));
        Symbolizer.Result r = run(new SymbolSources.Inputs(null, systemMap(k), modules(k), OptionalLong.empty()), log);

        assertThat(r.source().kaslrOffset().origin()).isEqualTo(KaslrOffset.Origin.FRAMES);
        assertThat(r.source().kaslrOffset().value()).isEqualTo(offset);
        assertFramesMatch(k, r, picks, false);
    }

    @ParameterizedTest(name = "{1} offset {2} from kallsyms against System.map")
    @MethodSource("styles")
    void offsetFromKallsymsAgainstSystemMap(Arch arch, Style style, long offset) {
        SyntheticKernel k = SyntheticKernel.generate(arch, SYMBOLS, offset, 14);
        List<Pick> picks = k.picks(5);
        OopsReport log = log(k.oops(style, picks, picks.get(0), false));
        Symbolizer.Result r = run(new SymbolSources.Inputs(kallsyms(k), systemMap(k), ModuleList.empty(), OptionalLong.empty()), log);

        assertThat(r.source().kaslrOffset().origin()).isEqualTo(KaslrOffset.Origin.KALLSYMS_VS_SYSTEM_MAP);
        assertThat(r.source().kaslrOffset().value()).isEqualTo(offset);
        assertThat(r.source().kaslrOffset().detail()).isEqualTo("_text");
    }

    @Test
    void explicitOffsetWinsAndADifferentFrameVoteIsNoted() {
        SyntheticKernel k = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 15);
        List<Pick> picks = k.picks(FRAMES);
        OopsReport log = log(k.oops(Style.OLD_X86, picks, picks.get(0), false));
        List<String> notes = new ArrayList<>();
        KernelSymbols source = SymbolSources.build(
                new SymbolSources.Inputs(null, systemMap(k), ModuleList.empty(), OptionalLong.of(0x4000000L)), log, notes);
        assertThat(source.kaslrOffset().origin()).isEqualTo(KaslrOffset.Origin.OPTION);
        assertThat(source.kaslrOffset().value()).isEqualTo(0x4000000L);
        assertThat(notes).singleElement().asString().contains("0x1a000000");
        // with the wrong offset every raw core frame lands elsewhere: flagged
        Symbolizer.Result r = Symbolizer.symbolize(log, source, notes);
        assertThat(r.disagreements()).isGreaterThan(0);
    }

    @Test
    void withoutAnyOffsetTheKernelIsAssumedNotRelocated() {
        SyntheticKernel k = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 16);
        List<Pick> picks = k.picks(FRAMES);
        Pick target = picks.get(0).fn().module() == null ? picks.get(0) : picks.get(1);
        OopsReport log = log(k.oops(Style.MODERN_X86, picks, target, false));
        Symbolizer.Result r = run(new SymbolSources.Inputs(null, systemMap(k), ModuleList.empty(), OptionalLong.empty()), log);
        assertThat(r.source().kaslrOffset().origin()).isEqualTo(KaslrOffset.Origin.ASSUMED_ZERO);
        // symbolic frames still check out: they do not depend on the offset
        assertThat(r.disagreements()).isZero();
        // the raw register value does not land on its function without the offset
        assertThat(r.values()).noneMatch(v -> v.resolved().symbolized().equals(target.symbolic()));
    }

    @Test
    void symbolsOfAnotherBuildAreFlagged() {
        SyntheticKernel crashed = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 21);
        SyntheticKernel other = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 22);
        List<Pick> picks = crashed.picks(FRAMES);
        OopsReport modern = log(crashed.oops(Style.MODERN_X86, picks, picks.get(0), false));
        Symbolizer.Result r = run(new SymbolSources.Inputs(kallsyms(other), null, modules(other), OptionalLong.empty()), modern);
        // same names, other sizes: nearly every frame disagrees on size (a few may match by chance)
        long sizeMismatches = r.frames().stream().filter(f -> f.check() == Symbolizer.Check.SIZE_MISMATCH).count();
        assertThat(sizeMismatches).isGreaterThan(FRAMES / 2);
        assertThat(AnnotatedText.render(r)).anyMatch(l -> l.contains(AnnotatedText.NOTE + "size-mismatch"));

        OopsReport old = log(crashed.oops(Style.OLD_X86, picks, picks.get(0), false));
        Symbolizer.Result r2 = run(new SymbolSources.Inputs(kallsyms(other), null, modules(other), OptionalLong.empty()), old);
        assertThat(r2.frames().stream().filter(f -> f.check() == Symbolizer.Check.ADDRESS_MISMATCH).count())
                .isGreaterThan(FRAMES / 2);
    }

    @Test
    void kallsymsFromAnotherBootIsNoticed() {
        SyntheticKernel thisBoot = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 23);
        SyntheticKernel nextBoot = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x3e000000L, 23);
        List<Pick> picks = thisBoot.picks(FRAMES);
        OopsReport log = log(thisBoot.oops(Style.OLD_X86, picks, picks.get(0), true));
        Symbolizer.Result r = run(new SymbolSources.Inputs(kallsyms(nextBoot), null, ModuleList.empty(), OptionalLong.empty()), log);
        assertThat(r.notes()).anyMatch(n -> n.contains("another boot"));
        long coreFrames = r.frames().stream().filter(f -> f.frame().module() == null).count();
        assertThat(r.frames().stream().filter(f -> f.check() == Symbolizer.Check.ADDRESS_MISMATCH).count())
                .isEqualTo(coreFrames);
    }

    @Test
    void unknownSymbolsAndOffsetsPastTheEndAreFlagged() {
        SyntheticKernel k = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0, 24);
        SyntheticKernel.Fn f = k.core.get(10);
        String text = String.join("\n",
                "Call Trace:",
                " no_such_function+0x10/0x40",
                " " + f.name() + "+0x" + Long.toHexString(f.size() + 0x100),
                " " + f.name() + "+0x4/0x" + Long.toHexString(f.size()),
                " alpha_op_3+0x4/0x8 [alpha]",
                " gone_op+0x4/0x8 [gone]");
        Symbolizer.Result r = run(new SymbolSources.Inputs(kallsyms(k), null, modules(k), OptionalLong.empty()), log(text));
        assertThat(r.frames()).extracting(Symbolizer.FrameResult::check).containsExactly(
                Symbolizer.Check.UNKNOWN_SYMBOL, Symbolizer.Check.OFFSET_OUTSIDE, Symbolizer.Check.OK,
                Symbolizer.Check.SIZE_MISMATCH, Symbolizer.Check.NOT_CHECKED);
        assertThat(r.frames().get(2).address()).hasValue(k.runtime(f) + 4);
    }

    /**
     * Call traces print return addresses with %pB: a call that is its function's last instruction
     * returns to the next symbol's first byte, printed as caller+size/size (oops/01.txt's
     * rest_init+0x80/0x80). That agrees with the symbols; any other offset at that address does not.
     */
    @Test
    void returnAddressesAtAFunctionsEndAgreeAsTheKernelPrintsThem() {
        SyntheticKernel k = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 27);
        SyntheticKernel.Fn f = k.core.get(12);
        long end = k.runtime(f) + f.size();
        String size = Long.toHexString(f.size());
        String text = String.join("\n",
                "Call Trace:",
                " [<" + Long.toHexString(end) + ">] ? " + f.name() + "+0x" + size + "/0x" + size,
                " " + f.name() + "+0x" + size + "/0x" + size,
                " [<" + Long.toHexString(end) + ">] " + f.name() + "+0x4/0x" + size,
                " " + f.name() + "+0x" + Long.toHexString(f.size() + 1) + "/0x" + size);
        Symbolizer.Result r = run(new SymbolSources.Inputs(kallsyms(k), null, modules(k), OptionalLong.empty()), log(text));
        assertThat(r.frames()).extracting(Symbolizer.FrameResult::check).containsExactly(
                Symbolizer.Check.OK, Symbolizer.Check.OK, Symbolizer.Check.ADDRESS_MISMATCH, Symbolizer.Check.OFFSET_OUTSIDE);
        assertThat(r.frames().get(0).resolved().symbolized()).isEqualTo(f.name() + "+0x" + size + "/0x" + size);
        assertThat(r.frames().get(1).address()).hasValue(end);
    }

    @Test
    void moduleAddressesWithoutModuleSymbolsAreAttributedToTheModule() {
        SyntheticKernel k = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 25);
        SyntheticKernel.Fn f = k.modules.get(45); // a function of the second module
        long addr = k.runtime(f) + 3;
        String text = "Call Trace:\n [<" + Long.toHexString(addr) + ">] 0x" + Long.toHexString(addr) + "\n"
                + "Kernel Offset: 0x1a000000 from 0xffffffff81000000\n";
        Symbolizer.Result r = run(new SymbolSources.Inputs(null, systemMap(k), modules(k), OptionalLong.empty()), log(text));
        assertThat(r.frames()).singleElement().satisfies(fr -> {
            assertThat(fr.check()).isEqualTo(Symbolizer.Check.RESOLVED);
            assertThat(fr.resolved().symbolized()).isEqualTo("[beta_drv]+0x" + Long.toHexString(addr - k.moduleBase[1]));
        });
        // with section addresses the location is given per section
        ModuleList withText = modules(k).withSections(java.util.Map.of("beta_drv", java.util.Map.of(".text", k.moduleBase[1] + 0x40)));
        Symbolizer.Result r2 = run(new SymbolSources.Inputs(null, systemMap(k), withText, OptionalLong.empty()), log(text));
        assertThat(r2.frames().get(0).resolved().symbolized())
                .isEqualTo("[beta_drv] .text+0x" + Long.toHexString(addr - k.moduleBase[1] - 0x40));
        assertThat(AnnotatedText.render(r2)).anyMatch(l -> l.contains(">] 0x" + Long.toHexString(addr) + " ([beta_drv] .text+0x"));
    }

    @Test
    void annotatedTextKeepsTheLogAndAddsSymbols() {
        SyntheticKernel k = SyntheticKernel.generate(Arch.X86_64, SYMBOLS, 0x1a000000L, 26);
        List<Pick> picks = k.picks(6);
        Pick target = picks.get(3);
        String text = k.oops(Style.MODERN_X86, picks, target, false);
        Symbolizer.Result r = run(new SymbolSources.Inputs(kallsyms(k), null, modules(k), OptionalLong.empty()), log(text));
        List<String> out = AnnotatedText.render(r);
        List<String> in = text.lines().toList();
        assertThat(out).hasSameSizeAs(in);
        String value = String.format("%016x", k.runtime(target.fn()) + target.offset());
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).contains("RSI: " + value)) {
                assertThat(out.get(i)).isEqualTo(in.get(i).replace(value, value + " (" + target.symbolic() + ")"));
            } else {
                assertThat(out.get(i)).isEqualTo(in.get(i));
            }
        }
    }

    /**
     * Each parsed frame is the generator's pick: the faulting location first (and, on arm64, the
     * link register), then the call trace in order.
     */
    private static void assertFramesMatch(SyntheticKernel k, Symbolizer.Result r, List<Pick> picks, boolean moduleSymbols) {
        List<Pick> expected = new ArrayList<>();
        expected.add(picks.get(0));
        boolean arm64 = r.frames().stream().anyMatch(f -> f.frame().kind() == Frame.Kind.LR);
        if (arm64) {
            expected.add(picks.get(1));
        }
        expected.addAll(picks.subList(1, picks.size()));
        List<Symbolizer.FrameResult> frames = r.frames().stream()
                .filter(f -> f.frame().function() != null) // i386 prints the EIP once raw, once symbolic
                .toList();
        assertThat(frames).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Pick p = expected.get(i);
            Symbolizer.FrameResult fr = frames.get(i);
            assertThat(fr.frame().symbolic()).isEqualTo(p.symbolic());
            // arm64 prints no "? "; the faulting location is always reliable
            assertThat(fr.frame().reliable()).isEqualTo(arm64 || i == 0 || p.reliable());
            if (p.fn().module() != null && !moduleSymbols) {
                assertThat(fr.check()).as(p.symbolic()).isEqualTo(Symbolizer.Check.NOT_CHECKED);
                continue;
            }
            assertThat(fr.check()).as(p.symbolic() + ": " + fr.message()).isEqualTo(Symbolizer.Check.OK);
            assertThat(fr.address()).hasValue(k.runtime(p.fn()) + p.offset());
            assertThat(fr.resolved().symbolized()).isEqualTo(p.symbolic());
        }
    }
}
