package dev.kharden.catalog;

import dev.kharden.kernel.KernelVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the catalogue's expression language (docs/catalog-format.md) into {@link Expr} and
 * {@link Predicate} records. Errors are IllegalArgumentException with the offending position; the
 * catalogue loader turns them into an InputException naming the file and line.
 */
public final class ExprParser {
    private final String text;
    private int pos;

    private ExprParser(String text) {
        this.text = text;
    }

    /** Parses a full expression such as {@code any(CONFIG_A = y, version >= 5.10)}. */
    public static Expr expr(String text) {
        ExprParser p = new ExprParser(text);
        Expr e = p.parseExpr();
        p.expectEnd();
        return e;
    }

    /** Parses a bare predicate such as {@code >= 65536} or {@code is not set}. */
    public static Predicate predicate(String text) {
        ExprParser p = new ExprParser(text);
        Predicate pr = p.parsePredicate();
        p.expectEnd();
        return pr;
    }

    private Expr parseExpr() {
        skipSpace();
        String word = peekWord();
        if ((word.equals("any") || word.equals("all") || word.equals("not")) && lookingAtAfter(word, '(')) {
            pos += word.length();
            skipSpace();
            pos++; // '('
            List<Expr> parts = new ArrayList<>();
            do {
                parts.add(parseExpr());
                skipSpace();
            } while (consume(','));
            if (!consume(')')) {
                throw error("expected ',' or ')'");
            }
            return switch (word) {
                case "any" -> new Expr.Any(List.copyOf(parts));
                case "all" -> new Expr.All(List.copyOf(parts));
                default -> {
                    if (parts.size() != 1) {
                        throw error("not(...) takes exactly one expression");
                    }
                    yield new Expr.Not(parts.get(0));
                }
            };
        }
        if (word.equals("version")) {
            pos += word.length();
            skipSpace();
            String op = operator();
            if (op == null) {
                throw error("expected a comparison operator after 'version'");
            }
            skipSpace();
            String v = bareValue();
            KernelVersion kv = KernelVersion.parse(v)
                    .filter(x -> v.matches("\\d+\\.\\d+(\\.\\d+)?"))
                    .orElseThrow(() -> error("'" + v + "' is not a kernel version (X.Y or X.Y.Z)"));
            return new Expr.VersionTest(op, kv);
        }
        if (word.isEmpty()) {
            throw error("expected an expression");
        }
        pos += word.length();
        Ref ref;
        try {
            ref = Ref.parse(word);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        return new Expr.OptionTest(ref, parsePredicate());
    }

    private Predicate parsePredicate() {
        skipSpace();
        String op = operator();
        if (op != null) {
            skipSpace();
            Predicate.Value v = value();
            return switch (op) {
                case "=" -> new Predicate.Equals(v);
                case "!=" -> new Predicate.NotEquals(v);
                default -> {
                    if (v.ref() == null && Predicate.number(v.literal()) == null) {
                        throw error("'" + v.literal() + "' is not a number");
                    }
                    yield new Predicate.Compare(switch (op) {
                        case ">=" -> Predicate.Op.GE;
                        case "<=" -> Predicate.Op.LE;
                        case ">" -> Predicate.Op.GT;
                        default -> Predicate.Op.LT;
                    }, v);
                }
            };
        }
        String word = peekWord();
        if (word.equals("has")) {
            pos += 3;
            skipSpace();
            Predicate.Value v = value();
            if (v.ref() != null) {
                throw error("'has' takes a literal");
            }
            return new Predicate.Has(v.literal());
        }
        if (word.equals("is")) {
            pos += 2;
            skipSpace();
            String next = peekWord();
            switch (next) {
                case "present" -> {
                    pos += next.length();
                    return new Predicate.Present();
                }
                case "absent" -> {
                    pos += next.length();
                    return new Predicate.Absent();
                }
                case "not" -> {
                    pos += 3;
                    skipSpace();
                    String last = peekWord();
                    pos += last.length();
                    if (last.equals("set")) {
                        return new Predicate.NotSet();
                    }
                    if (last.equals("off")) {
                        return new Predicate.NotOff();
                    }
                    throw error("expected 'is not set' or 'is not off'");
                }
                default -> throw error("expected 'is present', 'is absent', 'is not set' or 'is not off'");
            }
        }
        throw error("expected a predicate (= v, != v, >= n, <= n, is not set, is present, is absent, is not off, has v)");
    }

    private Predicate.Value value() {
        if (pos < text.length() && text.charAt(pos) == '"') {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != '"') {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                sb.append(c);
            }
            if (pos >= text.length()) {
                throw error("unterminated quoted value");
            }
            pos++;
            return Predicate.Value.of(sb.toString());
        }
        String v = bareValue();
        if (v.isEmpty()) {
            throw error("expected a value");
        }
        if (v.startsWith("$")) {
            try {
                return new Predicate.Value(null, Ref.parse(v.substring(1)));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }
        return Predicate.Value.of(v);
    }

    private String bareValue() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == ',' || c == '(' || c == ')') {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private String operator() {
        for (String op : new String[] {">=", "<=", "!=", "=", ">", "<"}) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        return null;
    }

    private String peekWord() {
        int end = pos;
        while (end < text.length()) {
            char c = text.charAt(end);
            if (Character.isLetterOrDigit(c) || c == '_' || c == ':' || c == '.' || c == '-' || c == '/' || c == '*') {
                end++;
            } else {
                break;
            }
        }
        return text.substring(pos, end);
    }

    private boolean lookingAtAfter(String word, char c) {
        int p = pos + word.length();
        while (p < text.length() && Character.isWhitespace(text.charAt(p))) {
            p++;
        }
        return p < text.length() && text.charAt(p) == c;
    }

    private boolean consume(char c) {
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void expectEnd() {
        skipSpace();
        if (pos != text.length()) {
            throw error("unexpected text");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at column " + (pos + 1) + " of '" + text + "'");
    }
}
