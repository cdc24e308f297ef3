package dev.kharden.scan;

import java.util.List;

/**
 * The one job: a size argument as a small expression tree, converted once from the C parser's nodes
 * so that the rules are plain Java over immutable records (and testable without the native parser).
 * Every node keeps its byte range in the file, so a rewrite can reuse the original text of operands.
 */
public sealed interface Expr {
    int start();

    int end();

    /** A number or character literal: "4", "0x10", "'a'", "1024UL". */
    record Literal(int start, int end) implements Expr {
    }

    /** {@code sizeof(T)}, {@code sizeof(*p)}, {@code sizeof x}; {@code operand} is the text inside. */
    record SizeOf(int start, int end, String operand) implements Expr {
    }

    /** A plain identifier: a variable, an enum constant or an object-like macro. */
    record Name(int start, int end, String name) implements Expr {
    }

    /** A binary operation; only the arithmetic ones matter to the rules. */
    record Binary(int start, int end, String op, Expr left, Expr right) implements Expr {
    }

    /** A parenthesized expression. */
    record Paren(int start, int end, Expr inner) implements Expr {
    }

    /** A unary operation {@code -x}, {@code ~x}, {@code !x}. */
    record Unary(int start, int end, String op, Expr inner) implements Expr {
    }

    /** A cast {@code (T)x}: the value is {@code inner}'s. */
    record Cast(int start, int end, Expr inner) implements Expr {
    }

    /** A call {@code f(a, b)} with a named function (a function-like macro or a real function). */
    record Call(int start, int end, String function, List<Expr> args) implements Expr {
    }

    /** Anything else (member access, subscripts, unary operators, ...): a run-time value. */
    record Other(int start, int end) implements Expr {
    }
}
