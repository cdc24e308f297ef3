package dev.kharden.symbolize;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Builds the {@link SymbolSource} for one log from whatever symbol inputs support has: a kallsyms
 * copy, a System.map, /proc/modules and module sections, an explicit KASLR offset. It works out the
 * KASLR offset in this order: the option; {@code _text} in kallsyms against System.map; the log's
 * own {@code Kernel Offset:} line; raw frame addresses against the System.map address of the
 * function each frame names (a vote). Disagreements between these become notes, never silence.
 */
public final class SymbolSources {
    /** Symbols that mark the start of kernel text, tried in order. */
    private static final List<String> TEXT_ANCHORS = List.of("_text", "_stext", "startup_64", "stext");

    private SymbolSources() {
    }

    /**
     * The symbol inputs; at least one of {@code kallsyms} and {@code systemMap}. A sealed bundle
     * provides kallsyms, /proc/modules and module sections ({@link ModuleList#withSections}).
     */
    public record Inputs(SymbolTable kallsyms, SymbolTable systemMap, ModuleList modules, OptionalLong kaslrOffset) {
        public Inputs {
            if (kallsyms == null && systemMap == null) {
                throw new IllegalArgumentException("no symbol table");
            }
            modules = modules == null ? ModuleList.empty() : modules;
            kaslrOffset = kaslrOffset == null ? OptionalLong.empty() : kaslrOffset;
        }
    }

    /** Builds the source for {@code log}; problems worth telling go to {@code notes}. */
    public static KernelSymbols build(Inputs in, OopsReport log, List<String> notes) {
        if (in.kallsyms() != null) {
            KaslrOffset offset = kallsymsOffset(in, log, notes);
            return new KernelSymbols(in.kallsyms(), 0, in.modules(), offset);
        }
        KaslrOffset offset = systemMapOffset(in, log, notes);
        return new KernelSymbols(in.systemMap(), offset.value(), in.modules(), offset);
    }

    private static KaslrOffset kallsymsOffset(Inputs in, OopsReport log, List<String> notes) {
        KaslrOffset offset = new KaslrOffset(0, KaslrOffset.Origin.RUNTIME_SYMBOLS, "");
        if (in.systemMap() != null) {
            for (String anchor : TEXT_ANCHORS) {
                OptionalLong run = in.kallsyms().coreAddress(anchor);
                OptionalLong link = in.systemMap().coreAddress(anchor);
                if (run.isPresent() && link.isPresent()) {
                    offset = new KaslrOffset(run.getAsLong() - link.getAsLong(),
                            KaslrOffset.Origin.KALLSYMS_VS_SYSTEM_MAP, anchor);
                    break;
                }
            }
            if (offset.origin() == KaslrOffset.Origin.RUNTIME_SYMBOLS) {
                notes.add("kallsyms and System.map share none of " + TEXT_ANCHORS + ": KASLR offset not computed");
            }
        } else if (in.kaslrOffset().isPresent()) {
            offset = new KaslrOffset(in.kaslrOffset().getAsLong(), KaslrOffset.Origin.OPTION, "");
        }
        // The log's "Kernel Offset: X from BASE" says where _text was at runtime: BASE + X.
        if (log.kernelOffset().isPresent() && log.kernelOffsetFrom().isPresent()) {
            OptionalLong text = in.kallsyms().coreAddress("_text");
            long expected = log.kernelOffsetFrom().getAsLong() + log.kernelOffset().getAsLong();
            if (text.isPresent() && text.getAsLong() != expected) {
                notes.add("the log's Kernel Offset puts _text at 0x" + Long.toHexString(expected)
                        + " but the kallsyms has it at 0x" + Long.toHexString(text.getAsLong())
                        + ": the kallsyms comes from another boot, raw addresses will not match");
            }
        }
        return offset;
    }

    private static KaslrOffset systemMapOffset(Inputs in, OopsReport log, List<String> notes) {
        KaslrOffset fromFrames = frameVote(in.systemMap(), log);
        KaslrOffset chosen;
        if (in.kaslrOffset().isPresent()) {
            chosen = new KaslrOffset(in.kaslrOffset().getAsLong(), KaslrOffset.Origin.OPTION, "");
        } else if (log.kernelOffset().isPresent()) {
            chosen = new KaslrOffset(log.kernelOffset().getAsLong(), KaslrOffset.Origin.KERNEL_OFFSET_LINE,
                    "line " + log.kernelOffsetLine());
        } else if (fromFrames != null) {
            chosen = fromFrames;
        } else {
            chosen = new KaslrOffset(0, KaslrOffset.Origin.ASSUMED_ZERO, "");
            if (log.frames().stream().anyMatch(f -> f.address().isPresent() && f.address().getAsLong() != 0)) {
                notes.add("no KASLR offset known (no --kaslr-offset, no Kernel Offset: line, no raw frame"
                        + " matching a System.map symbol): raw addresses are read as if the kernel was not relocated");
            }
        }
        if (fromFrames != null && chosen.origin() != KaslrOffset.Origin.FRAMES && fromFrames.value() != chosen.value()) {
            notes.add("raw frame addresses point to KASLR offset 0x" + Long.toHexString(fromFrames.value())
                    + " (" + fromFrames.detail() + ") but " + chosen.origin().text() + " gives 0x"
                    + Long.toHexString(chosen.value()));
        }
        return chosen;
    }

    /**
     * Each core frame printed with both a raw address and {@code func+0xoff} votes for
     * {@code address - (System.map(func) + off)}; the most voted offset wins. Null when no frame can vote.
     */
    static KaslrOffset frameVote(SymbolTable map, OopsReport log) {
        Set<String> names = new HashSet<>();
        for (Frame f : log.frames()) {
            if (votes(f)) {
                names.add(f.function());
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        Map<String, int[]> idx = map.indicesOf(names);
        Map<Long, Integer> tally = new HashMap<>();
        int voters = 0;
        for (Frame f : log.frames()) {
            int[] candidates = votes(f) ? idx.get(f.function()) : null;
            if (candidates == null) {
                continue;
            }
            voters++;
            Set<Long> seen = new HashSet<>();
            for (int i : candidates) {
                if (map.module(i) == null) {
                    long delta = f.address().getAsLong() - (map.address(i) + f.offset());
                    if (seen.add(delta)) {
                        tally.merge(delta, 1, Integer::sum);
                    }
                }
            }
        }
        Map.Entry<Long, Integer> best = null;
        for (Map.Entry<Long, Integer> e : tally.entrySet()) {
            if (best == null || e.getValue() > best.getValue()
                    || (e.getValue().equals(best.getValue()) && Long.compareUnsigned(e.getKey(), best.getKey()) < 0)) {
                best = e;
            }
        }
        if (best == null) {
            return null;
        }
        return new KaslrOffset(best.getKey(), KaslrOffset.Origin.FRAMES,
                best.getValue() + " of " + voters + " frames agree");
    }

    private static boolean votes(Frame f) {
        return f.address().isPresent() && f.function() != null && f.offset() >= 0 && f.module() == null;
    }
}
