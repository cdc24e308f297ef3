package dev.kharden.symbolize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link Symbolizer.Result} as the log itself with annotations: every resolved raw value
 * gets {@code (symbol+0xoff/0xsize [module])} right after it, and every frame that disagrees with
 * the symbols gets a {@code <-- kharden: ...} note at the end of its line. Lines are otherwise
 * untouched, so the output still reads (and parses) as the original log.
 */
public final class AnnotatedText {
    /** Marks kharden's notes at the end of a line. */
    public static final String NOTE = "  <-- kharden: ";

    private AnnotatedText() {
    }

    public static List<String> render(Symbolizer.Result result) {
        OopsReport log = result.log();
        Map<Integer, List<Insert>> inserts = new HashMap<>();
        Map<Integer, List<String>> notes = new HashMap<>();
        for (Symbolizer.ValueHit v : result.values()) {
            inserts.computeIfAbsent(v.line(), k -> new ArrayList<>())
                    .add(new Insert(after(log.lines().get(v.line() - 1), v.token().end()),
                            " (" + v.resolved().symbolized() + ")"));
        }
        for (Symbolizer.FrameResult fr : result.frames()) {
            Frame f = fr.frame();
            if (f.function() == null && fr.resolved() != null) {
                int end = tokenEnd(log, f);
                if (end >= 0) {
                    inserts.computeIfAbsent(f.line(), k -> new ArrayList<>())
                            .add(new Insert(end, " (" + fr.resolved().symbolized() + ")"));
                }
            }
            if (fr.check().disagrees()) {
                notes.computeIfAbsent(f.line(), k -> new ArrayList<>()).add(fr.check().id() + ": " + fr.message());
            }
        }
        List<String> out = new ArrayList<>(log.lines().size());
        for (int i = 0; i < log.lines().size(); i++) {
            String line = log.lines().get(i);
            List<Insert> ins = inserts.get(i + 1);
            if (ins != null) {
                ins.sort(Comparator.comparingInt(Insert::at).reversed());
                StringBuilder sb = new StringBuilder(line);
                int last = Integer.MAX_VALUE;
                for (Insert x : ins) {
                    if (x.at() != last) {
                        sb.insert(x.at(), x.text());
                        last = x.at();
                    }
                }
                line = sb.toString();
            }
            List<String> n = notes.get(i + 1);
            if (n != null) {
                line = line.stripTrailing() + NOTE + String.join("; ", n);
            }
            out.add(line);
        }
        return out;
    }

    /** End of the (last) printed address of an address-only frame, or -1. */
    private static int tokenEnd(OopsReport log, Frame f) {
        String line = log.lines().get(f.line() - 1);
        long a = f.address().orElse(-1);
        int end = -1;
        for (HexToken t : HexToken.scan(line, log.bodyStarts()[f.line() - 1])) {
            if (t.value() == a) {
                end = after(line, t.end()); // the last one: "[<addr>] 0xaddr" gets it after 0xaddr
            }
        }
        return end;
    }

    /** Past the {@code >]} or {@code >} that closes a bracketed address, so the note follows the brackets. */
    private static int after(String line, int end) {
        if (line.startsWith(">]", end)) {
            return end + 2;
        }
        return line.startsWith(">", end) ? end + 1 : end;
    }

    private record Insert(int at, String text) {
    }
}
