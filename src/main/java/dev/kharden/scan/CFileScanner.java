package dev.kharden.scan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.treesitter.TSInputEncoding;
import org.treesitter.TSLanguage;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSTree;

/**
 * The one job: find the inspected calls in one C file and hand their size arguments to
 * {@link SizeRules}. One instance per thread (a tree-sitter parser is not thread-safe).
 *
 * <p>Safety first: the native parser only ever sees bytes through a reader callback (its byte-array
 * entry point with no reader crashes the JVM), files are size-limited and NUL-free before it sees
 * them, a parse is cancelled past a deadline, and expressions deeper than
 * {@link ScanOptions#MAX_DEPTH} are not walked. Candidate calls are located by a byte scan for known
 * names first, so files without any are never parsed, and the tree is only queried at those offsets.
 *
 * <p>Error tolerance: tree-sitter recovers from what it cannot parse (kernel macros, GNU extensions,
 * unbalanced #ifdef branches) and still yields call_expression nodes around them; a call is analysed
 * whenever its own node is a well-formed call, whatever errors sit elsewhere in the file.
 */
public final class CFileScanner {
    private static final String MACRO_PREFIX = "void __kharden_macro_body(void) { ";
    private static final String MACRO_SUFFIX = "\n; }\n";

    private static volatile TSLanguage language;

    private final ScanOptions options;
    private final SizeRules rules;
    private final TSParser parser;
    private final Set<String> names;

    public CFileScanner(ScanOptions options) {
        this.options = options;
        this.rules = new SizeRules(options);
        this.parser = new TSParser();
        parser.setLanguage(language());
        this.names = Callee.knownNames();
    }

    /**
     * Loads the parser and the C grammar once (see {@link TreeSitterLibraries}); a clear error when
     * the native libraries cannot load here.
     */
    public static TSLanguage language() {
        TSLanguage l = language;
        if (l == null) {
            synchronized (CFileScanner.class) {
                if (language == null) {
                    language = TreeSitterLibraries.load();
                }
                l = language;
            }
        }
        return l;
    }

    /** Scans one file's bytes; {@code path} is how findings name it. Never throws for bad input. */
    public FileResult scan(String path, byte[] bytes) {
        if (bytes.length > options.maxFileBytes()) {
            return FileResult.skipped(path, "larger than " + options.maxFileBytes() + " bytes (--max-file-size)");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return FileResult.skipped(path, "binary file (NUL byte at offset " + i + ")");
            }
        }
        List<int[]> candidates = candidates(bytes, 0, bytes.length);
        if (candidates.isEmpty()) {
            return new FileResult(path, FileResult.Status.SCANNED, null, List.of(), List.of());
        }
        TSTree tree = parse(bytes);
        if (tree == null) {
            return FileResult.error(path, "parse abandoned after " + options.parseMillis() + " ms");
        }
        LineMap map = new LineMap(bytes);
        Walk walk = new Walk(path, map);
        TSNode root = tree.getRootNode();
        Map<Integer, TSNode> macroBodies = new LinkedHashMap<>();
        for (int[] c : candidates) {
            TSNode node = root.getDescendantForByteRange(c[0], c[1]);
            if (node.isNull()) {
                continue;
            }
            String type = node.getType();
            if (type.equals("identifier") && node.getStartByte() == c[0] && node.getEndByte() == c[1]) {
                TSNode call = node.getParent();
                if (!call.isNull() && call.getType().equals("call_expression")) {
                    TSNode fn = call.getChildByFieldName("function");
                    if (!fn.isNull() && fn.getStartByte() == c[0]) {
                        walk.call(call, fn, 0, Set.of(), false);
                    }
                }
            } else if (type.equals("preproc_arg") && options.macroBodies()) {
                TSNode def = node.getParent();
                macroBodies.putIfAbsent(def.isNull() ? node.getStartByte() : def.getStartByte(), node);
            }
        }
        for (TSNode body : macroBodies.values()) {
            walk.macroBody(body);
        }
        walk.findings.sort(java.util.Comparator.comparingInt(Finding::line).thenComparingInt(Finding::column));
        return new FileResult(path, FileResult.Status.SCANNED, null, walk.findings, walk.warnings);
    }

    private TSTree parse(byte[] bytes) {
        long deadline = System.nanoTime() + options.parseMillis() * 1_000_000L;
        // Never the null-reader form: it crashes the JVM in the JNI layer.
        return parser.parseWithOptions(bytes, null, (buf, offset, point) -> {
            if (offset < 0 || offset >= bytes.length) {
                return 0;
            }
            int n = Math.min(buf.length, bytes.length - offset);
            System.arraycopy(bytes, offset, buf, 0, n);
            return n;
        }, TSInputEncoding.TSInputEncodingUTF8, state -> System.nanoTime() > deadline);
    }

    /** Byte ranges of identifiers that name an inspected function and are followed by "(". */
    List<int[]> candidates(byte[] b, int from, int to) {
        List<int[]> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            int ch = b[i] & 0xff;
            if (isIdentStart(ch) && (i == from || !isIdentPart(b[i - 1] & 0xff))) {
                int j = i + 1;
                while (j < to && isIdentPart(b[j] & 0xff)) {
                    j++;
                }
                int len = j - i;
                if (len >= 6 && len <= 64) {
                    int k = j;
                    while (k < to && (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r')) {
                        k++;
                    }
                    if (k < to && b[k] == '(') {
                        String name = new String(b, i, len, java.nio.charset.StandardCharsets.ISO_8859_1);
                        if (names.contains(name) || (options.wrappers() && Callee.mayBeWrapper(name))) {
                            out.add(new int[] {i, j});
                        }
                    }
                }
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }

    private static boolean isIdentStart(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(int c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    /** An expression nested deeper than the limit: that call is skipped with a warning. */
    private static final class TooDeep extends RuntimeException {
        final int offset;

        TooDeep(int offset) {
            super(null, null, false, false);
            this.offset = offset;
        }
    }

    /** The state of one file's scan: its findings, warnings and byte-to-line map. */
    private final class Walk {
        final String path;
        final LineMap map;
        final List<Finding> findings = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();
        final Set<Integer> seen = new HashSet<>();

        Walk(String path, LineMap map) {
            this.path = path;
            this.map = map;
        }

        /** {@code shift} turns offsets of the tree into offsets of the file (non-zero for macro bodies). */
        void call(TSNode call, TSNode fn, int shift, Set<String> params, boolean inMacro) {
            int fnStart = fn.getStartByte() + shift;
            if (!seen.add(fnStart)) {
                return;
            }
            String name = map.text(fnStart, fn.getEndByte() + shift);
            TSNode argsNode = call.getChildByFieldName("arguments");
            if (argsNode.isNull()) {
                return;
            }
            List<TSNode> args = namedChildren(argsNode);
            Optional<Callee> callee = Callee.known(name);
            if (callee.isEmpty() && options.wrappers()) {
                callee = Callee.wrapper(name, args.size());
            }
            if (callee.isEmpty()) {
                return;
            }
            int idx = callee.get().sizeIndex(args.size());
            if (idx < 0) {
                return;
            }
            Expr size;
            try {
                size = convert(args.get(idx), shift, 0);
            } catch (TooDeep e) {
                warnings.add(map.line(e.offset) + ": expression nested deeper than " + ScanOptions.MAX_DEPTH
                        + " levels: not analysed");
                return;
            }
            List<int[]> ranges = new ArrayList<>();
            for (TSNode a : args) {
                ranges.add(new int[] {a.getStartByte() + shift, a.getEndByte() + shift});
            }
            int callStart = call.getStartByte() + shift;
            int callEnd = call.getEndByte() + shift;
            SizeRules.CallSite site = new SizeRules.CallSite(callee.get(), fnStart, fn.getEndByte() + shift,
                    callStart, callEnd, ranges, idx, size, params);
            rules.check(site, map::text).ifPresent(v -> {
                List<Finding.Edit> edits = v.edits();
                String expr = map.text(size.start(), size.end()).replaceAll("\\s*\\\\?\\R\\s*", " ");
                if (v.suggestion() != null && v.suggestion().indexOf('\uFFFD') >= 0) {
                    edits = List.of(); // never write back bytes we could not decode
                }
                findings.add(new Finding(path, map.line(fnStart), map.column(fnStart), map.line(callEnd),
                        map.column(callEnd), v.rule(), name, expr, v.helper(), v.suggestion(), v.message(),
                        inMacro, edits));
            });
        }

        /** Re-parses a #define body as a statement, with the macro's parameters as run-time values. */
        void macroBody(TSNode body) {
            int start = body.getStartByte();
            int end = body.getEndByte();
            TSNode def = body.getParent();
            byte[] file = map.bytes();
            // A comment inside the body ends tree-sitter's preproc_arg early: the body really runs to
            // the first newline that is not escaped by a backslash.
            end = Math.max(end, logicalLineEnd(file, start));
            byte[] prefix = MACRO_PREFIX.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] suffix = MACRO_SUFFIX.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] buf = new byte[prefix.length + (end - start) + suffix.length];
            System.arraycopy(prefix, 0, buf, 0, prefix.length);
            System.arraycopy(file, start, buf, prefix.length, end - start);
            System.arraycopy(suffix, 0, buf, prefix.length + (end - start), suffix.length);
            for (int i = prefix.length; i < prefix.length + (end - start); i++) {
                if (buf[i] == '\\') {
                    buf[i] = ' '; // line continuations: same length, so offsets still map 1:1
                }
            }
            Set<String> params = new HashSet<>();
            if (!def.isNull() && def.getType().equals("preproc_function_def")) {
                TSNode ps = def.getChildByFieldName("parameters");
                if (!ps.isNull()) {
                    for (TSNode p : namedChildren(ps)) {
                        params.add(map.text(p.getStartByte(), p.getEndByte()));
                    }
                }
            }
            List<int[]> cands = candidates(buf, prefix.length, prefix.length + (end - start));
            if (cands.isEmpty()) {
                return;
            }
            TSTree tree = parse(buf);
            if (tree == null) {
                warnings.add(map.line(start) + ": macro body parse abandoned");
                return;
            }
            int shift = start - prefix.length;
            TSNode root = tree.getRootNode();
            for (int[] c : cands) {
                TSNode node = root.getDescendantForByteRange(c[0], c[1]);
                if (node.isNull() || !node.getType().equals("identifier")) {
                    continue;
                }
                TSNode call = node.getParent();
                if (!call.isNull() && call.getType().equals("call_expression")) {
                    TSNode fn = call.getChildByFieldName("function");
                    if (!fn.isNull() && fn.getStartByte() == c[0]) {
                        call(call, fn, shift, params, true);
                    }
                }
            }
        }

        private Expr convert(TSNode n, int shift, int depth) {
            int s = n.getStartByte() + shift;
            int e = n.getEndByte() + shift;
            if (depth > ScanOptions.MAX_DEPTH) {
                throw new TooDeep(s);
            }
            switch (n.getType()) {
                case "number_literal", "char_literal", "true", "false" -> {
                    return new Expr.Literal(s, e);
                }
                case "sizeof_expression", "alignof_expression", "offsetof_expression" -> {
                    TSNode t = n.getChildByFieldName("type");
                    if (t.isNull()) {
                        t = n.getChildByFieldName("value");
                    }
                    String operand = t.isNull() ? map.text(s, e) : map.text(t.getStartByte() + shift, t.getEndByte() + shift);
                    if (!t.isNull() && t.getType().equals("parenthesized_expression")) {
                        operand = operand.strip();
                        // error recovery can make a parenthesized node without its parentheses, or empty
                        if (operand.length() >= 2 && operand.startsWith("(") && operand.endsWith(")")) {
                            operand = operand.substring(1, operand.length() - 1);
                        }
                    }
                    return new Expr.SizeOf(s, e, operand.strip());
                }
                case "identifier" -> {
                    return new Expr.Name(s, e, map.text(s, e));
                }
                case "binary_expression" -> {
                    TSNode l = n.getChildByFieldName("left");
                    TSNode r = n.getChildByFieldName("right");
                    TSNode op = n.getChildByFieldName("operator");
                    if (l.isNull() || r.isNull() || op.isNull()) {
                        return new Expr.Other(s, e);
                    }
                    return new Expr.Binary(s, e, op.getType(), convert(l, shift, depth + 1), convert(r, shift, depth + 1));
                }
                case "parenthesized_expression" -> {
                    List<TSNode> inner = namedChildren(n);
                    return inner.size() == 1 ? new Expr.Paren(s, e, convert(inner.get(0), shift, depth + 1))
                            : new Expr.Other(s, e);
                }
                case "cast_expression" -> {
                    TSNode v = n.getChildByFieldName("value");
                    return v.isNull() ? new Expr.Other(s, e) : new Expr.Cast(s, e, convert(v, shift, depth + 1));
                }
                case "unary_expression" -> {
                    TSNode a = n.getChildByFieldName("argument");
                    TSNode op = n.getChildByFieldName("operator");
                    return a.isNull() || op.isNull() ? new Expr.Other(s, e)
                            : new Expr.Unary(s, e, op.getType(), convert(a, shift, depth + 1));
                }
                case "call_expression" -> {
                    TSNode fn = n.getChildByFieldName("function");
                    TSNode argsNode = n.getChildByFieldName("arguments");
                    if (fn.isNull() || argsNode.isNull() || !fn.getType().equals("identifier")) {
                        return new Expr.Other(s, e);
                    }
                    List<Expr> args = new ArrayList<>();
                    for (TSNode a : namedChildren(argsNode)) {
                        args.add(convert(a, shift, depth + 1));
                    }
                    return new Expr.Call(s, e, map.text(fn.getStartByte() + shift, fn.getEndByte() + shift), args);
                }
                default -> {
                    return new Expr.Other(s, e);
                }
            }
        }
    }

    /** The end of the logical line (backslash continuations joined) that contains {@code from}. */
    static int logicalLineEnd(byte[] b, int from) {
        int i = from;
        while (i < b.length) {
            if (b[i] == '\n') {
                int j = i - 1;
                if (j >= from && b[j] == '\r') {
                    j--;
                }
                if (j < from || b[j] != '\\') {
                    return i;
                }
            }
            i++;
        }
        return b.length;
    }

    private static List<TSNode> namedChildren(TSNode n) {
        int count = n.getNamedChildCount();
        List<TSNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            TSNode c = n.getNamedChild(i);
            if (!c.getType().equals("comment")) {
                out.add(c);
            }
        }
        return out;
    }
}
