package dev.kharden.scan;

import dev.kharden.scan.Expr.Binary;
import dev.kharden.scan.Expr.Call;
import dev.kharden.scan.Expr.Cast;
import dev.kharden.scan.Expr.Literal;
import dev.kharden.scan.Expr.Name;
import dev.kharden.scan.Expr.Paren;
import dev.kharden.scan.Expr.SizeOf;
import dev.kharden.scan.Expr.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The one job: decide whether a call's size argument does arithmetic that can wrap, and if so which
 * rule it breaks, which helper the target kernel offers, and the edits that rewrite the call.
 *
 * <p>Constness policy (docs/scan.md): literals and sizeof are compile-time constants, so a product of
 * only those is exempt, as deprecated.rst says. ALL_CAPS identifiers are taken as macro constants
 * unless {@link ScanOptions#macrosAsVariables()}; parameters of the function-like macro being scanned
 * are always run-time values. Pure Java over {@link Expr}: no native parser involved.
 */
public final class SizeRules {
    /** Where the call is and what it says; offsets are bytes of the file. */
    public record CallSite(Callee callee, int fnStart, int fnEnd, int callStart, int callEnd,
            List<int[]> argRanges, int sizeIndex, Expr size, Set<String> macroParams) {
    }

    /** What a call breaks and how to repair it; {@code edits} is empty when no mechanical rewrite exists. */
    public record Verdict(Rule rule, String helper, String message, List<Finding.Edit> edits, String suggestion) {
    }

    private static final Pattern CAPS = Pattern.compile("_*[A-Z][A-Z0-9_]*");
    private static final Set<String> CONSTANT_CALLS = Set.of("ARRAY_SIZE", "sizeof_field", "FIELD_SIZEOF",
            "offsetof", "offsetofend", "__alignof__", "_Alignof", "alignof", "BITS_TO_LONGS_CONST");
    private static final Pattern BYTE_TYPE = Pattern.compile(
            "\\(?\\s*(?:u8|__u8|s8|__s8|char|unsigned\\s+char|signed\\s+char|uint8_t|int8_t)\\s*\\)?");

    /** How constant an expression is: the policy compares these. */
    enum Level { CONSTANT, MACRO, RUNTIME }

    private final ScanOptions options;

    public SizeRules(ScanOptions options) {
        this.options = options;
    }

    /** The verdict on one call, empty when its size argument is fine under the policy. */
    public Optional<Verdict> check(CallSite site, BiFunction<Integer, Integer, String> text) {
        Expr size = strip(site.size());
        List<Expr> terms = new ArrayList<>();
        flatten(size, "+", terms);
        if (terms.size() == 1) {
            return product(site, text, size);
        }
        return sum(site, text, terms);
    }

    // ---- products --------------------------------------------------------------------------

    private Optional<Verdict> product(CallSite site, BiFunction<Integer, Integer, String> text, Expr size) {
        List<Expr> factors = new ArrayList<>();
        flatten(size, "*", factors);
        if (factors.size() < 2 || !risky(factors, site)) {
            return Optional.empty();
        }
        List<Expr> kept = factors.stream().filter(f -> !isByteSizeof(f)).toList();
        Callee c = site.callee();
        String sizeText = text.apply(size.start(), size.end());
        if (kept.size() == 1) {
            // n * sizeof(u8): nothing can wrap once the factor of one is gone.
            Rule rule = ruleFor(c);
            return verdict(site, text, rule, "no helper: drop the sizeof of a byte",
                    "`" + sizeText + "` multiplies by sizeof of a byte; the product is just "
                            + text.apply(kept.get(0).start(), kept.get(0).end()),
                    List.of(replaceArg(site, text(text, kept.get(0)))));
        }
        if (kept.size() >= 3) {
            return threeFactor(site, text, kept, sizeText);
        }
        // Two factors: count first, element size second, as kmalloc_array(n, size) wants.
        Expr a = kept.get(0);
        Expr b = kept.get(1);
        if (a instanceof SizeOf && !(b instanceof SizeOf)) {
            Expr t = a;
            a = b;
            b = t;
        }
        String count = text(text, a);
        String elem = text(text, b);
        KernelVersion v = options.version();
        switch (c.family()) {
            case ALLOC_WITH_ARRAY_FORM -> {
                if (c.typedForm() != null && v.compareTo(Callee.TYPED) >= 0 && b instanceof SizeOf s) {
                    return verdict(site, text, Rule.ALLOC_MUL, c.typedForm(),
                            msg(c, sizeText, c.typedForm() + "()"),
                            List.of(rename(site, c.typedForm()), replaceArg(site, s.operand() + ", " + count)));
                }
                if (v.compareTo(c.arraySince()) >= 0) {
                    return verdict(site, text, Rule.ALLOC_MUL, c.arrayForm(), msg(c, sizeText, c.arrayForm() + "()"),
                            List.of(rename(site, c.arrayForm()), replaceArg(site, count + ", " + elem)));
                }
                return wrapped(site, text, Rule.ALLOC_MUL, "array_size", count, elem, sizeText);
            }
            case ALLOC_WRAP, WRAPPER -> {
                return wrapped(site, text, Rule.ALLOC_MUL, "array_size", count, elem, sizeText);
            }
            case ARRAY_COUNT -> {
                return wrapped(site, text, Rule.ALLOC_COUNT, "array_size", count, elem, sizeText);
            }
            case REALLOC -> {
                if (c.arrayForm() != null && v.compareTo(c.arraySince()) >= 0) {
                    return verdict(site, text, Rule.REALLOC_MUL, c.arrayForm(), msg(c, sizeText, c.arrayForm() + "()"),
                            List.of(rename(site, c.arrayForm()), replaceArg(site, count + ", " + elem)));
                }
                return wrapped(site, text, Rule.REALLOC_MUL, "array_size", count, elem, sizeText);
            }
            case COPY -> {
                if (c.arrayForm() != null && v.compareTo(c.arraySince()) >= 0) {
                    return verdict(site, text, Rule.COPY_MUL, c.arrayForm(), msg(c, sizeText, c.arrayForm() + "()"),
                            List.of(rename(site, c.arrayForm()), replaceArg(site, count + ", " + elem)));
                }
                return verdict(site, text, Rule.COPY_MUL, "check_mul_overflow",
                        "`" + sizeText + "` in " + c.name() + "() can wrap and a saturated length would not help: "
                                + "compute it with check_mul_overflow() and fail on overflow first",
                        List.of());
            }
            default -> throw new IllegalStateException(c.family().name());
        }
    }

    private Optional<Verdict> threeFactor(CallSite site, BiFunction<Integer, Integer, String> text,
            List<Expr> kept, String sizeText) {
        Callee c = site.callee();
        if (c.family() == Callee.Family.COPY) {
            return verdict(site, text, Rule.COPY_MUL, "check_mul_overflow",
                    "`" + sizeText + "` in " + c.name() + "() multiplies " + kept.size()
                            + " factors; check each step with check_mul_overflow() before copying",
                    List.of());
        }
        String nested = text(text, kept.get(0)) + ", " + text(text, kept.get(1)) + ", " + text(text, kept.get(2));
        String expr = "array3_size(" + nested + ")";
        for (int i = 3; i < kept.size(); i++) {
            expr = "array_size(" + expr + ", " + text(text, kept.get(i)) + ")";
        }
        Rule rule = c.family() == Callee.Family.ARRAY_COUNT ? Rule.ALLOC_COUNT : Rule.ALLOC_MUL3;
        return verdict(site, text, rule, "array3_size", msg(c, sizeText, "array3_size()"),
                List.of(replaceArg(site, expr)));
    }

    private Optional<Verdict> wrapped(CallSite site, BiFunction<Integer, Integer, String> text, Rule rule,
            String helper, String count, String elem, String sizeText) {
        return verdict(site, text, rule, helper, msg(site.callee(), sizeText, helper + "()"),
                List.of(replaceArg(site, helper + "(" + count + ", " + elem + ")")));
    }

    // ---- sums ------------------------------------------------------------------------------

    private Optional<Verdict> sum(CallSite site, BiFunction<Integer, Integer, String> text, List<Expr> terms) {
        boolean riskyProduct = false;
        List<List<Expr>> factorsOf = new ArrayList<>();
        for (Expr t : terms) {
            List<Expr> f = new ArrayList<>();
            flatten(strip(t), "*", f);
            factorsOf.add(f);
            if (f.size() >= 2 && risky(f, site)) {
                riskyProduct = true;
            }
        }
        if (!riskyProduct) {
            return Optional.empty();
        }
        Callee c = site.callee();
        String sizeText = text.apply(site.size().start(), site.size().end());
        if (c.family() == Callee.Family.COPY) {
            return verdict(site, text, Rule.COPY_MUL, "check_add_overflow",
                    "`" + sizeText + "` in " + c.name() + "() adds a product that can wrap; check it with "
                            + "check_mul_overflow() and check_add_overflow() before copying",
                    List.of());
        }
        KernelVersion v = options.version();
        Optional<Verdict> flex = headerPlusArray(site, text, terms, factorsOf, sizeText);
        if (flex.isPresent()) {
            return flex;
        }
        if (v.compareTo(Callee.SIZE_MUL) >= 0) {
            String expr = null;
            for (int i = 0; i < terms.size(); i++) {
                String term = saturating(text, factorsOf.get(i), terms.get(i));
                expr = expr == null ? term : "size_add(" + expr + ", " + term + ")";
            }
            return verdict(site, text, Rule.ALLOC_SUM, "size_add", msg(c, sizeText, "size_add() and size_mul()"),
                    List.of(replaceArg(site, expr)));
        }
        return verdict(site, text, Rule.ALLOC_SUM, "check_add_overflow",
                "`" + sizeText + "` adds a product that can wrap; before 5.18 there is no size_add(): compute "
                        + "it with check_mul_overflow() and check_add_overflow()",
                List.of());
    }

    /** {@code sizeof(*p) + n * sizeof(p->item[0])} and its spellings: struct_size(p, item, n). */
    private Optional<Verdict> headerPlusArray(CallSite site, BiFunction<Integer, Integer, String> text,
            List<Expr> terms, List<List<Expr>> factorsOf, String sizeText) {
        if (terms.size() != 2) {
            return Optional.empty();
        }
        int h = strip(terms.get(0)) instanceof SizeOf && factorsOf.get(0).size() == 1 ? 0
                : strip(terms.get(1)) instanceof SizeOf && factorsOf.get(1).size() == 1 ? 1 : -1;
        if (h < 0) {
            return Optional.empty();
        }
        List<Expr> arr = factorsOf.get(1 - h);
        if (arr.size() != 2) {
            return Optional.empty();
        }
        SizeOf elem = arr.get(0) instanceof SizeOf s0 && !(arr.get(1) instanceof SizeOf) ? s0
                : arr.get(1) instanceof SizeOf s1 && !(arr.get(0) instanceof SizeOf) ? s1 : null;
        if (elem == null) {
            return Optional.empty();
        }
        Expr countExpr = arr.get(0) == elem ? arr.get(1) : arr.get(0);
        String count = text(text, countExpr);
        SizeOf header = (SizeOf) strip(terms.get(h));
        Callee c = site.callee();
        KernelVersion v = options.version();
        String var = pointee(header.operand());
        String member = var == null ? null : member(var, elem.operand());
        if (member != null) {
            if (c.flexForm() != null && v.compareTo(Callee.TYPED) >= 0) {
                return verdict(site, text, Rule.ALLOC_STRUCT, c.flexForm(), msg(c, sizeText, c.flexForm() + "()"),
                        List.of(rename(site, c.flexForm()), replaceArg(site, "*" + var + ", " + member + ", " + count)));
            }
            return verdict(site, text, Rule.ALLOC_STRUCT, "struct_size",
                    msg(c, sizeText, "struct_size()"),
                    List.of(replaceArg(site, "struct_size(" + var + ", " + member + ", " + count + ")")));
        }
        String why = "`" + sizeText + "` is a header plus an array that can wrap; use struct_size() naming "
                + "the flexible array member";
        if (v.compareTo(Callee.SIZE_MUL) >= 0) {
            String expr = "size_add(" + text(text, header) + ", size_mul(" + count + ", " + text(text, elem) + "))";
            return verdict(site, text, Rule.ALLOC_STRUCT, "struct_size",
                    why + " (the suggestion keeps the types with size_add()/size_mul())",
                    List.of(replaceArg(site, expr)));
        }
        return verdict(site, text, Rule.ALLOC_STRUCT, "struct_size", why + since(Callee.OVERFLOW_H), List.of());
    }

    private String saturating(BiFunction<Integer, Integer, String> text, List<Expr> factors, Expr term) {
        if (factors.size() < 2) {
            return text(text, term);
        }
        String e = text(text, factors.get(0));
        for (int i = 1; i < factors.size(); i++) {
            e = "size_mul(" + e + ", " + text(text, factors.get(i)) + ")";
        }
        return e;
    }

    /** "*p" or "(*p)" or "*chip->clk" to "p"/"chip->clk"; null when the header is a type. */
    static String pointee(String operand) {
        String o = unparen(operand);
        if (!o.startsWith("*")) {
            return null;
        }
        String v = unparen(o.substring(1).strip());
        return v.isEmpty() || v.startsWith("*") ? null : v;
    }

    /** The trailing array's member path when the element is {@code *var->m} or {@code var->m[0]}. */
    static String member(String var, String elemOperand) {
        String o = unparen(elemOperand);
        String prefix = var + "->";
        if (o.startsWith("*")) {
            String rest = unparen(o.substring(1).strip());
            if (rest.startsWith(prefix) && isMemberPath(rest.substring(prefix.length()))) {
                return rest.substring(prefix.length());
            }
            return null;
        }
        if (o.startsWith(prefix) && o.endsWith("[0]")) {
            String m = o.substring(prefix.length(), o.length() - 3).strip();
            return isMemberPath(m) ? m : null;
        }
        return null;
    }

    private static boolean isMemberPath(String m) {
        return m.matches("[A-Za-z_][A-Za-z0-9_]*(\\s*\\.\\s*[A-Za-z_][A-Za-z0-9_]*)*");
    }

    private static String unparen(String s) {
        String t = s.strip();
        while (t.length() >= 2 && t.charAt(0) == '(' && t.charAt(t.length() - 1) == ')' && balanced(t)) {
            t = t.substring(1, t.length() - 1).strip();
        }
        return t.replaceAll("\\s+", " ").replace("- >", "->").replace(" ->", "->").replace("-> ", "->");
    }

    /** Whether the outer parentheses of {@code t} enclose all of it. */
    private static boolean balanced(String t) {
        int depth = 0;
        for (int i = 0; i < t.length(); i++) {
            char ch = t.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
                if (depth == 0 && i < t.length() - 1) {
                    return false;
                }
            }
        }
        return depth == 0;
    }

    // ---- constness ---------------------------------------------------------------------------

    /** A product is risky when at least one factor is a run-time value under the policy. */
    private boolean risky(List<Expr> factors, CallSite site) {
        for (Expr f : factors) {
            if (level(f, site.macroParams()) == Level.RUNTIME) {
                return true;
            }
        }
        return false;
    }

    Level level(Expr e, Set<String> params) {
        return switch (e) {
            case Literal l -> Level.CONSTANT;
            case SizeOf s -> Level.CONSTANT;
            case Name n -> nameLevel(n.name(), params);
            case Paren p -> level(p.inner(), params);
            case Cast c -> level(c.inner(), params);
            case Unary u -> level(u.inner(), params);
            case Binary b -> max(level(b.left(), params), level(b.right(), params));
            case Call c -> {
                if (CONSTANT_CALLS.contains(c.function())) {
                    yield Level.CONSTANT;
                }
                if (!CAPS.matcher(c.function()).matches() || options.macrosAsVariables()) {
                    yield Level.RUNTIME;
                }
                Level l = Level.MACRO;
                for (Expr a : c.args()) {
                    l = max(l, level(a, params));
                }
                yield l;
            }
            case Expr.Other o -> Level.RUNTIME;
        };
    }

    private Level nameLevel(String name, Set<String> params) {
        if (params.contains(name)) {
            return Level.RUNTIME;
        }
        if (CAPS.matcher(name).matches() && !options.macrosAsVariables()) {
            return Level.MACRO;
        }
        return Level.RUNTIME;
    }

    private static Level max(Level a, Level b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    // ---- helpers -----------------------------------------------------------------------------

    static Expr strip(Expr e) {
        Expr x = e;
        while (x instanceof Paren p) {
            x = p.inner();
        }
        return x;
    }

    /** Flattens a chain of {@code op} through parentheses: (a * b) * c gives a, b, c. */
    static void flatten(Expr e, String op, List<Expr> out) {
        Expr x = strip(e);
        if (x instanceof Binary b && b.op().equals(op)) {
            flatten(b.left(), op, out);
            flatten(b.right(), op, out);
        } else {
            out.add(x);
        }
    }

    private static boolean isByteSizeof(Expr e) {
        return e instanceof SizeOf s && BYTE_TYPE.matcher(s.operand().strip()).matches();
    }

    private static String text(BiFunction<Integer, Integer, String> text, Expr e) {
        return text.apply(e.start(), e.end()).replaceAll("\\s*\\\\?\\R\\s*", " ");
    }

    private static Rule ruleFor(Callee c) {
        return switch (c.family()) {
            case COPY -> Rule.COPY_MUL;
            case REALLOC -> Rule.REALLOC_MUL;
            case ARRAY_COUNT -> Rule.ALLOC_COUNT;
            default -> Rule.ALLOC_MUL;
        };
    }

    private String since(KernelVersion helperSince) {
        return options.version().compareTo(helperSince) >= 0 ? ""
                : " (not in " + options.version() + ": it arrived in " + helperSince
                        + "; backport include/linux/overflow.h)";
    }

    private String msg(Callee c, String sizeText, String helper) {
        String note = helper.startsWith("array") || helper.startsWith("struct") ? since(Callee.OVERFLOW_H) : "";
        return "`" + sizeText.replaceAll("\\s*\\\\?\\R\\s*", " ") + "` in " + c.name()
                + "() can wrap; use " + helper + note;
    }

    private static Finding.Edit rename(CallSite site, String name) {
        return new Finding.Edit(site.fnStart(), site.fnEnd(), name);
    }

    private static Finding.Edit replaceArg(CallSite site, String text) {
        int[] r = site.argRanges().get(site.sizeIndex());
        return new Finding.Edit(r[0], r[1], text);
    }

    private Optional<Verdict> verdict(CallSite site, BiFunction<Integer, Integer, String> text, Rule rule,
            String helper, String message, List<Finding.Edit> edits) {
        if (!options.rules().contains(rule)) {
            return Optional.empty();
        }
        String suggestion = null;
        if (!edits.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            int pos = site.callStart();
            for (Finding.Edit ed : edits.stream().sorted(java.util.Comparator.comparingInt(Finding.Edit::start)).toList()) {
                sb.append(text.apply(pos, ed.start())).append(ed.text());
                pos = ed.end();
            }
            sb.append(text.apply(pos, site.callEnd()));
            suggestion = sb.toString().replaceAll("\\s*\\\\?\\R\\s*", " ");
        }
        return Optional.of(new Verdict(rule, helper, message, edits, suggestion));
    }
}
