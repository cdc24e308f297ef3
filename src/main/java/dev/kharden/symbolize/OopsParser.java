package dev.kharden.symbolize;

import dev.kharden.input.TextSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Parses a kernel oops/WARN/BUG/panic log as people paste it into an {@link OopsReport}. It reads
 * every format kharden documents (docs/symbolize.md): old x86 frames with raw {@code [<addr>]},
 * modern symbolic-only frames, {@code ? } unreliable frames, {@code <TASK>}/{@code <IRQ>} markers,
 * x86 {@code RIP:}/{@code IP:}/{@code EIP:} lines old and new, arm64/arm {@code pc :}/{@code lr :}/
 * {@code PC is at}, syzbot's {@code file:line} and {@code [inline]} frames, 32-bit addresses,
 * {@code Kernel Offset:} and {@code Modules linked in:}. Lines it does not understand are kept and
 * ignored: a paste always has surrounding chatter, so nothing here is an input error. Hand-written
 * scanning, no regular expressions: the parser faces untrusted text and must stay linear.
 */
public final class OopsParser {
    private OopsParser() {
    }

    /** Parses a log read with {@link TextSource}. */
    public static OopsReport parse(TextSource text) {
        return parse(text.name(), text.lines());
    }

    /** Parses {@code lines}; {@code source} names the log in messages. */
    public static OopsReport parse(String source, List<String> lines) {
        return new Run(source, lines).parse();
    }

    /** One parse: the state that carries from line to line. */
    private static final class Run {
        private final String source;
        private final List<String> lines;
        private final int[] bodyStarts;
        private final List<Frame> frames = new ArrayList<>();
        private final List<String> modules = new ArrayList<>();
        private final List<String> bodies = new ArrayList<>();
        private OptionalLong kernelOffset = OptionalLong.empty();
        private OptionalLong kernelOffsetFrom = OptionalLong.empty();
        private int kernelOffsetLine;
        private boolean inTrace;
        private boolean modulesOpen;
        private String context;

        Run(String source, List<String> lines) {
            this.source = source;
            this.lines = List.copyOf(lines);
            this.bodyStarts = new int[lines.size()];
        }

        OopsReport parse() {
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                int start = LinePrefix.bodyStart(line);
                bodyStarts[i] = start;
                String body = line.substring(start);
                bodies.add(body);
                line(i + 1, body);
            }
            return new OopsReport(source, lines, bodyStarts, List.copyOf(frames), kernelOffset,
                    kernelOffsetFrom, kernelOffsetLine, List.copyOf(modules), Arch.guess(bodies));
        }

        private void line(int no, String body) {
            String t = body.strip();
            boolean modulesContinue = modulesOpen;
            modulesOpen = false;
            if (t.isEmpty()) {
                inTrace = false;
                return;
            }
            if (t.startsWith("Kernel Offset:")) {
                kernelOffset(no, t);
                return;
            }
            if (t.startsWith("Modules linked in:")) {
                moduleList(t.substring("Modules linked in:".length()));
                modulesOpen = true;
                inTrace = false;
                return;
            }
            if (modulesContinue && body.startsWith(" ") && isModuleList(t)) {
                // printk splits lines at 1024 bytes: a long module list goes on in the next record.
                moduleList(t);
                modulesOpen = true;
                return;
            }
            if (t.startsWith("Call Trace:") || t.startsWith("Call trace:") || t.startsWith("Backtrace:")) {
                inTrace = true;
                context = null;
                return;
            }
            if (t.startsWith("---[ end ")) {
                inTrace = false;
                return;
            }
            if (location(no, t)) {
                return;
            }
            if (t.startsWith("WARNING:")) {
                warning(no, t);
                inTrace = false;
                return;
            }
            traceLine(no, t);
        }

        private void kernelOffset(int no, String t) {
            // "Kernel Offset: 0x1a000000 from 0xffffffff81000000 (relocation range: ...)"
            List<HexToken> toks = HexToken.scan(t, "Kernel Offset:".length());
            if (!toks.isEmpty() && t.startsWith("0x", toks.get(0).start())) {
                kernelOffset = OptionalLong.of(toks.get(0).value());
                kernelOffsetLine = no;
                if (toks.size() > 1 && t.startsWith(" from 0x", toks.get(0).end())) {
                    kernelOffsetFrom = OptionalLong.of(toks.get(1).value());
                }
            }
        }

        private void moduleList(String text) {
            boolean inBracket = false;
            for (String tok : text.strip().split("\\s+")) {
                if (tok.isEmpty()) {
                    continue;
                }
                if (inBracket || tok.startsWith("[")) {
                    inBracket = !tok.endsWith("]");
                    continue;
                }
                int paren = tok.indexOf('(');
                String name = paren >= 0 ? tok.substring(0, paren) : tok;
                if (isModuleName(name)) {
                    modules.add(name);
                }
            }
        }

        private static boolean isModuleList(String t) {
            for (String tok : t.split("\\s+")) {
                int paren = tok.indexOf('(');
                if (!isModuleName(paren >= 0 ? tok.substring(0, paren) : tok)) {
                    return false;
                }
            }
            return true;
        }

        /** Instruction pointer, link register and summary lines; true when {@code t} was one. */
        private boolean location(int no, String t) {
            if (t.startsWith("RIP: ") || t.startsWith("EIP: ") || t.startsWith("IP: ")) {
                int p = t.indexOf(": ") + 2;
                int sel = selector(t, p);
                if (sel >= 0) {
                    int cs = Integer.parseInt(t.substring(p, p + 4), 16);
                    if ((cs & 3) != 0) {
                        return true; // user-mode RIP (CS 0033/0023/002b): not kernel text
                    }
                    p = sel;
                }
                boolean summary = sel < 0 && t.startsWith("EIP: [<");
                add(no, summary ? Frame.Kind.SUMMARY : Frame.Kind.IP, t, p);
                return true;
            }
            if (t.startsWith("RIP  [<") || t.startsWith("EIP  [<")) {
                add(no, Frame.Kind.SUMMARY, t, 5);
                return true;
            }
            if (t.startsWith("EIP is at ") || t.startsWith("PC is at ")) {
                add(no, Frame.Kind.IP, t, t.indexOf(" at ") + 4);
                return true;
            }
            if (t.startsWith("LR is at ")) {
                add(no, Frame.Kind.LR, t, 9);
                return true;
            }
            if (t.startsWith("pc : ") || t.startsWith("lr : ")) {
                Frame.Kind kind = t.charAt(0) == 'p' ? Frame.Kind.IP : Frame.Kind.LR;
                if (isBareHex(t, 5)) {
                    return true; // user mode: arm64 prints the raw value with %016llx
                }
                Entry e = Entry.parse(t, 5);
                if (e != null && e.isLocation()) {
                    frames.add(e.frame(no, kind, context));
                    // arm and old arm64: "pc : [<c01f3218>]    lr : [<c01f31f0>]    psr: 60000013"
                    int lr = kind == Frame.Kind.IP ? t.indexOf("lr : [<", e.end) : -1;
                    if (lr >= 0) {
                        add(no, Frame.Kind.LR, t, lr + 5);
                    }
                }
                return true;
            }
            return false;
        }

        /** {@code 0010:} after {@code RIP: }: returns the index after it, or -1. */
        private static int selector(String t, int p) {
            if (p + 5 > t.length() || t.charAt(p + 4) != ':') {
                return -1;
            }
            for (int k = p; k < p + 4; k++) {
                if (Character.digit(t.charAt(k), 16) < 0) {
                    return -1;
                }
            }
            return p + 5;
        }

        private static boolean isBareHex(String t, int p) {
            int n = 0;
            while (p + n < t.length() && Character.digit(t.charAt(p + n), 16) >= 0) {
                n++;
            }
            return n >= 8 && (p + n == t.length() || t.charAt(p + n) == ' ');
        }

        /** {@code WARNING: ... at file.c:123 func+0x1a/0x40 [mod]}: the site is the token with an offset. */
        private void warning(int no, String t) {
            int p = "WARNING:".length();
            while (p < t.length()) {
                while (p < t.length() && t.charAt(p) == ' ') {
                    p++;
                }
                int end = t.indexOf(' ', p);
                end = end < 0 ? t.length() : end;
                if (t.substring(p, end).contains("+0x")) {
                    Entry e = Entry.parse(t, p);
                    if (e != null && e.function != null && e.offset >= 0) {
                        frames.add(e.frame(no, Frame.Kind.WARN, null));
                    }
                    return;
                }
                p = end;
            }
        }

        private void traceLine(int no, String t) {
            int p = markers(t);
            if (p == t.length()) {
                return;
            }
            boolean started = false;
            while (p < t.length()) {
                Entry e = Entry.parse(t, p);
                if (e == null || !(e.hasAddress || e.function != null)) {
                    break;
                }
                boolean accept = inTrace
                        ? e.hasAddress || e.offset >= 0 || e.source != null || e.inline || e.module != null
                        : (e.bracketed || (e.offset >= 0 && e.size >= 0 && e.end == t.length()));
                if (!accept) {
                    break;
                }
                frames.add(e.frame(no, Frame.Kind.TRACE, context));
                started = true;
                p = skipSpaces(t, e.end);
                if (!t.startsWith("[<", p)) {
                    break; // very old kernels print several "[<addr>] sym" per line
                }
            }
            if (started) {
                inTrace = true;
            } else if (inTrace && !isRegisterLine(t)) {
                // user-mode registers and Code: appear inside <TASK>; anything else ends the trace
                inTrace = false;
            }
        }

        /** Consumes leading stack markers ({@code <IRQ>}, {@code </TASK>}, ...), returning the index after. */
        private int markers(String t) {
            int p = 0;
            while (p < t.length() && t.charAt(p) == '<') {
                int close = t.indexOf('>', p);
                if (close < 0 || close - p > 12) {
                    return p;
                }
                boolean closing = p + 1 < close && t.charAt(p + 1) == '/';
                String name = t.substring(p + (closing ? 2 : 1), close);
                if (name.isEmpty() || !name.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || c == '#')) {
                    return p;
                }
                if (closing || name.equals("EOI") || name.equals("EOE")) {
                    context = name.equals("TASK") ? null : "TASK";
                    inTrace = !name.equals("TASK") || !closing;
                } else {
                    context = name.replace("#", "");
                    inTrace = true;
                }
                p = skipSpaces(t, close + 1);
            }
            return p;
        }

        private static boolean isRegisterLine(String t) {
            int k = 0;
            while (k < t.length() && HexToken.isWordChar(t.charAt(k))) {
                k++;
            }
            if (k == 0) {
                return false;
            }
            if (k < t.length() && t.charAt(k) == ' ') {
                k++;
            }
            return k < t.length() && t.charAt(k) == ':';
        }

        private void add(int no, Frame.Kind kind, String t, int p) {
            Entry e = Entry.parse(t, p);
            if (e != null && e.isLocation()) {
                frames.add(e.frame(no, kind, context));
            }
        }
    }

    static boolean isModuleName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (!HexToken.isWordChar(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    static int skipSpaces(String s, int p) {
        while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        return p;
    }

    /** One printed location: {@code [<addr>] [? ] (name[+0xoff[/0xsize]] | 0xaddr) [[mod [build-id]]] [file:line] [[inline]]}. */
    private static final class Entry {
        boolean hasAddress;
        boolean bracketed;
        long address;
        boolean reliable = true;
        String function;
        long offset = -1;
        long size = -1;
        String module;
        String buildId;
        String source;
        boolean inline;
        int end;

        boolean isLocation() {
            return hasAddress || function != null;
        }

        Frame frame(int line, Frame.Kind kind, String context) {
            return new Frame(line, kind, reliable, hasAddress ? OptionalLong.of(address) : OptionalLong.empty(),
                    function, offset, size, module, buildId, source, inline, context);
        }

        static Entry parse(String s, int from) {
            Entry e = new Entry();
            int n = s.length();
            int p = skipSpaces(s, from);
            for (int k = 0; k < 2 && s.startsWith("[<", p); k++) {
                int close = s.indexOf(">]", p + 2);
                if (close < 0) {
                    return null;
                }
                long v = hex(s, p + 2, close);
                if (v == -1 && !isAllOnes(s, p + 2, close)) {
                    return null;
                }
                e.hasAddress = true;
                e.bracketed = true;
                e.address = v;
                p = skipSpaces(s, close + 2);
            }
            if (p < n && s.charAt(p) == '?' && (p + 1 == n || s.charAt(p + 1) == ' ')) {
                e.reliable = false;
                p = skipSpaces(s, p + 1);
            }
            if (s.startsWith("0x", p)) {
                int q = p + 2;
                while (q < n && Character.digit(s.charAt(q), 16) >= 0) {
                    q++;
                }
                if (q > p + 2 && q - p - 2 <= 16 && (q == n || s.charAt(q) == ' ')) {
                    if (!e.hasAddress) {
                        e.hasAddress = true;
                        e.address = Long.parseUnsignedLong(s.substring(p + 2, q), 16);
                    }
                    p = q;
                }
            } else if (p < n && isNameStart(s.charAt(p))) {
                int q = p;
                while (q < n && isNameChar(s.charAt(q))) {
                    q++;
                }
                int nameEnd = q;
                long off = -1, size = -1;
                if (s.startsWith("+0x", q)) {
                    int r = q + 3;
                    while (r < n && Character.digit(s.charAt(r), 16) >= 0) {
                        r++;
                    }
                    off = hex(s, q + 3, r);
                    q = r;
                    if (off >= 0 && s.startsWith("/0x", q)) {
                        r = q + 3;
                        while (r < n && Character.digit(s.charAt(r), 16) >= 0) {
                            r++;
                        }
                        size = hex(s, q + 3, r);
                        q = r;
                    }
                }
                if (s.startsWith("()", q)) {
                    q += 2; // "WARNING: at file:line func+0x37/0x7a()" (3.x)
                }
                boolean bounded = q == n || s.charAt(q) == ' ' || s.charAt(q) == ',' || s.charAt(q) == '\t';
                int next = skipSpaces(s, q);
                if (off < 0 && next < n && s.charAt(next) == ':') {
                    bounded = false; // "lr : [<...>]": a register label, not a function
                }
                if (bounded && (off >= 0 || !s.startsWith("+0x", nameEnd))) {
                    e.function = s.substring(p, nameEnd);
                    e.offset = off;
                    e.size = off >= 0 ? size : -1;
                    p = q;
                    if (p < n && s.charAt(p) == ',') {
                        p++;
                    }
                }
            }
            if (e.function == null && !e.hasAddress) {
                return e;
            }
            p = skipSpaces(s, p);
            if (e.function != null && s.startsWith("[", p) && !s.startsWith("[<", p) && !s.startsWith("[inline]", p)) {
                int close = s.indexOf(']', p);
                if (close > p) {
                    String inner = s.substring(p + 1, close);
                    int sp = inner.indexOf(' ');
                    String name = sp < 0 ? inner : inner.substring(0, sp);
                    String id = sp < 0 ? null : inner.substring(sp + 1).strip();
                    if (isModuleName(name) && (id == null || isHex(id))) {
                        e.module = name;
                        e.buildId = id;
                        p = skipSpaces(s, close + 1);
                    }
                }
            }
            if (e.function != null) {
                int q = p;
                while (q < n && s.charAt(q) != ' ') {
                    q++;
                }
                if (isSourceLocation(s, p, q)) {
                    e.source = s.substring(p, q);
                    p = skipSpaces(s, q);
                }
                if (s.startsWith("[inline]", p)) {
                    e.inline = true;
                    p = skipSpaces(s, p + "[inline]".length());
                }
            }
            e.end = p;
            return e;
        }

        /** {@code mm/filemap.c:2363}: a path with an extension, a colon, a line number. */
        private static boolean isSourceLocation(String s, int from, int to) {
            int colon = s.lastIndexOf(':', to - 1);
            if (colon <= from || colon == to - 1) {
                return false;
            }
            for (int k = colon + 1; k < to; k++) {
                if (!Character.isDigit(s.charAt(k))) {
                    return false;
                }
            }
            int dot = s.lastIndexOf('.', colon);
            return dot > from;
        }

        private static boolean isHex(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int k = 0; k < s.length(); k++) {
                if (Character.digit(s.charAt(k), 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isAllOnes(String s, int from, int to) {
            if (to - from != 16) {
                return false;
            }
            for (int k = from; k < to; k++) {
                char c = s.charAt(k);
                if (c != 'f' && c != 'F') {
                    return false;
                }
            }
            return true;
        }

        /** Parses 1..16 hex digits in {@code s[from, to)}; -1 when they are not that. */
        private static long hex(String s, int from, int to) {
            if (to <= from || to - from > 16) {
                return -1;
            }
            long v = 0;
            for (int k = from; k < to; k++) {
                int d = Character.digit(s.charAt(k), 16);
                if (d < 0) {
                    return -1;
                }
                v = (v << 4) | d;
            }
            return v;
        }

        private static boolean isNameStart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
        }

        private static boolean isNameChar(char c) {
            return HexToken.isWordChar(c) || c == '.' || c == '$';
        }
    }
}
