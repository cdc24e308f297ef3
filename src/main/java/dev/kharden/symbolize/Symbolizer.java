package dev.kharden.symbolize;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Symbolizes a parsed oops against a {@link SymbolSource}: resolves every raw frame address and
 * every printed value (registers, stack words) that points into kernel or module text, and checks
 * every symbolic frame against the symbols, flagging disagreement (a log from another kernel build,
 * or kallsyms from another boot). Pure: the result is data, rendering is elsewhere.
 */
public final class Symbolizer {
    private Symbolizer() {
    }

    /** How a frame compares with the symbols. */
    public enum Check {
        /** The log's symbol, offset and size agree with the table (and with the raw address, if any). */
        OK(false),
        /** Only an address was printed, and it resolved. */
        RESOLVED(false),
        /** Only an address was printed, and it is not in known text. */
        UNRESOLVED(false),
        /** No symbols for this frame's module, or an {@code [inline]} pseudo-frame: nothing to check against. */
        NOT_CHECKED(false),
        /** The table has no symbol of that name (in that module). */
        UNKNOWN_SYMBOL(true),
        /** The symbol exists but its size differs from the size the kernel printed. */
        SIZE_MISMATCH(true),
        /** The offset lies past the end of the symbol. */
        OFFSET_OUTSIDE(true),
        /** The raw address resolves to a different location than the log printed next to it. */
        ADDRESS_MISMATCH(true);

        private final boolean disagrees;

        Check(boolean disagrees) {
            this.disagrees = disagrees;
        }

        /** Whether this outcome says the symbols do not belong to the kernel that printed the log. */
        public boolean disagrees() {
            return disagrees;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One frame's outcome.
     *
     * @param frame    what the log said
     * @param resolved where the frame is according to the symbols (from its raw address, or its
     *                 named symbol when that is unambiguous), or null
     * @param address  the frame's runtime address: the raw one, or symbol start plus offset; empty if unknown
     * @param check    the comparison
     * @param message  why, for people; empty when there is nothing to say
     */
    public record FrameResult(Frame frame, SymbolSource.Resolution resolved, OptionalLong address, Check check,
            String message) {
    }

    /**
     * A printed value (register, stack word, fault address) that points into text.
     *
     * @param line     1-based line
     * @param token    where it is in the line
     * @param label    the register it was printed for ({@code RSI}, {@code x9}), or null
     * @param resolved where it points
     */
    public record ValueHit(int line, HexToken token, String label, SymbolSource.Resolution resolved) {
    }

    /** Everything symbolization found for one log. */
    public record Result(OopsReport log, SymbolSource source, List<FrameResult> frames, List<ValueHit> values,
            List<String> notes) {

        /** Number of frames whose check says the symbols belong to another kernel. */
        public long disagreements() {
            return frames.stream().filter(f -> f.check().disagrees()).count();
        }
    }

    public static Result symbolize(OopsReport log, SymbolSource source, List<String> notes) {
        Set<String> names = new HashSet<>();
        for (Frame f : log.frames()) {
            if (f.function() != null) {
                names.add(f.function());
            }
        }
        Map<String, List<SymbolSource.SymbolRange>> ranges = source.named(names);
        List<FrameResult> frames = new ArrayList<>();
        for (Frame f : log.frames()) {
            frames.add(frame(f, source, ranges));
        }
        return new Result(log, source, List.copyOf(frames), values(log, source), List.copyOf(notes));
    }

    private static FrameResult frame(Frame f, SymbolSource source, Map<String, List<SymbolSource.SymbolRange>> ranges) {
        if (f.function() == null) {
            long a = f.address().orElseThrow();
            SymbolSource.Resolution r = source.resolve(a);
            return r == null
                    ? new FrameResult(f, null, f.address(), Check.UNRESOLVED, "not in known kernel or module text")
                    : new FrameResult(f, r, f.address(), Check.RESOLVED, "");
        }
        if (f.address().isPresent()) {
            return withAddress(f, source);
        }
        if (f.inline()) {
            return new FrameResult(f, null, OptionalLong.empty(), Check.NOT_CHECKED,
                    "[inline] frame from a source-level symbolizer");
        }
        if (!source.covers(f.module())) {
            return new FrameResult(f, null, OptionalLong.empty(), Check.NOT_CHECKED,
                    f.module() == null ? "no core-kernel symbols" : "no symbols for module " + f.module());
        }
        List<SymbolSource.SymbolRange> named = ranges.getOrDefault(f.function(), List.of()).stream()
                .filter(r -> java.util.Objects.equals(r.module(), f.module()))
                .toList();
        if (named.isEmpty()) {
            return new FrameResult(f, null, OptionalLong.empty(), Check.UNKNOWN_SYMBOL,
                    "no symbol " + f.function() + (f.module() == null ? " in the kernel" : " in module " + f.module()));
        }
        if (f.offset() < 0) {
            SymbolSource.SymbolRange r = named.get(0);
            return new FrameResult(f, null, named.size() == 1 ? OptionalLong.of(r.start()) : OptionalLong.empty(),
                    Check.OK, "");
        }
        List<SymbolSource.SymbolRange> fits = named.stream()
                .filter(r -> f.size() < 0 || r.size() == f.size())
                .filter(r -> r.size() < 0 || Long.compareUnsigned(f.offset(), r.size()) <= 0) // == : see pastTheEnd
                .toList();
        if (!fits.isEmpty()) {
            SymbolSource.SymbolRange r = fits.get(0);
            SymbolSource.Resolution res = new SymbolSource.Resolution(r.name(), f.offset(), r.size(), r.module(),
                    null, r.start());
            boolean unique = fits.size() == 1;
            return new FrameResult(f, unique ? res : null,
                    unique ? OptionalLong.of(r.start() + f.offset()) : OptionalLong.empty(), Check.OK,
                    unique ? "" : fits.size() + " symbols of that name and size; address ambiguous");
        }
        SymbolSource.SymbolRange r = named.get(0);
        boolean outside = named.stream().allMatch(x -> x.size() >= 0 && Long.compareUnsigned(f.offset(), x.size()) > 0);
        if (outside && (f.size() < 0 || named.stream().anyMatch(x -> x.size() == f.size()))) {
            return new FrameResult(f, null, OptionalLong.empty(), Check.OFFSET_OUTSIDE,
                    "offset 0x" + Long.toHexString(f.offset()) + " is past the end of " + f.function()
                            + " (size 0x" + Long.toHexString(r.size()) + "): wrong kernel?");
        }
        return new FrameResult(f, null, OptionalLong.empty(), Check.SIZE_MISMATCH,
                "the symbols give " + f.function() + " size " + sizes(named) + ", the log says 0x"
                        + Long.toHexString(f.size()) + ": wrong kernel?");
    }

    /**
     * Whether {@code f} names its function's very end, {@code func+0x80/0x80}. Call traces print return
     * addresses with {@code %pB}, which looks up {@code address - 1} and then prints the offset of the
     * address itself: a call that is a function's last instruction (to a function that does not return)
     * returns to the first byte of the next symbol, and is printed as the caller plus its size.
     */
    private static boolean pastTheEnd(Frame f) {
        return f.offset() > 0 && f.offset() == f.size();
    }

    private static FrameResult withAddress(Frame f, SymbolSource source) {
        long a = f.address().getAsLong();
        SymbolSource.Resolution r = source.resolve(pastTheEnd(f) ? a - 1 : a);
        if (r != null && r.function() != null && pastTheEnd(f)) {
            r = new SymbolSource.Resolution(r.function(), r.offset() + 1, r.size(), r.module(), r.section(), r.start());
        }
        boolean moduleKnown = f.module() == null || source.covers(f.module());
        if (r == null) {
            if (!moduleKnown) {
                return new FrameResult(f, null, f.address(), Check.NOT_CHECKED, "no symbols for module " + f.module());
            }
            return new FrameResult(f, null, f.address(), Check.ADDRESS_MISMATCH,
                    "the address is not in known text, the log says " + f.symbolic() + ": wrong kernel or boot?");
        }
        if (r.function() == null) {
            boolean sameModule = r.module().equals(f.module());
            return new FrameResult(f, r, f.address(), sameModule ? Check.NOT_CHECKED : Check.ADDRESS_MISMATCH,
                    sameModule ? "no symbols for module " + f.module()
                            : "the address is in module " + r.module() + ", the log says " + f.symbolic());
        }
        boolean same = r.function().equals(f.function()) && java.util.Objects.equals(r.module(), f.module())
                && (f.offset() < 0 || r.offset() == f.offset()) && (f.size() < 0 || r.size() == f.size());
        return same
                ? new FrameResult(f, r, f.address(), Check.OK, "")
                : new FrameResult(f, r, f.address(), Check.ADDRESS_MISMATCH,
                        "the address is " + r.symbolized() + ", the log says " + f.symbolic() + ": wrong kernel or boot?");
    }

    private static String sizes(List<SymbolSource.SymbolRange> named) {
        StringBuilder sb = new StringBuilder();
        for (SymbolSource.SymbolRange r : named) {
            if (!sb.isEmpty()) {
                sb.append(" or ");
            }
            sb.append(r.size() < 0 ? "unknown" : "0x" + Long.toHexString(r.size()));
        }
        return sb.toString();
    }

    /** Registers, stack words and fault addresses that point into text, skipping frame addresses and Code: bytes. */
    private static List<ValueHit> values(OopsReport log, SymbolSource source) {
        Map<Integer, Set<Long>> frameAddresses = new java.util.HashMap<>();
        for (Frame f : log.frames()) {
            f.address().ifPresent(a -> frameAddresses.computeIfAbsent(f.line(), k -> new HashSet<>()).add(a));
        }
        List<ValueHit> out = new ArrayList<>();
        for (int i = 0; i < log.lines().size(); i++) {
            String line = log.lines().get(i);
            int from = log.bodyStarts()[i];
            String body = line.substring(from).stripLeading();
            if (body.startsWith("Code:") || body.startsWith("Kernel Offset:")) {
                continue;
            }
            Set<Long> skip = frameAddresses.getOrDefault(i + 1, Set.of());
            for (HexToken t : HexToken.scan(line, from)) {
                if (skip.contains(t.value()) || t.value() == 0) {
                    continue;
                }
                SymbolSource.Resolution r = source.resolve(t.value());
                if (r != null) {
                    out.add(new ValueHit(i + 1, t, label(line, t.start(), from), r));
                }
            }
        }
        return List.copyOf(out);
    }

    /** The register name printed before a value: {@code RSI: v}, {@code x9 : v}, {@code GS:v}; else null. */
    static String label(String line, int tokenStart, int from) {
        int p = tokenStart - 1;
        while (p >= from && line.charAt(p) == ' ') {
            p--;
        }
        if (p < from || line.charAt(p) != ':') {
            return null;
        }
        p--;
        while (p >= from && line.charAt(p) == ' ') {
            p--;
        }
        int end = p + 1;
        while (p >= from && HexToken.isWordChar(line.charAt(p))) {
            p--;
        }
        if (end <= p + 1) {
            return null;
        }
        String name = line.substring(p + 1, end);
        // "RSP: 0018:ffffad85491579a8": the word before the value is a segment selector
        if (name.length() == 4 && name.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            String before = label(line, p + 1, from);
            return before != null ? before : name;
        }
        return name;
    }
}
