package dev.kharden.catalog;

import java.math.BigInteger;

/**
 * What a setting must look like. Typed, never compared as result strings: the evaluator in
 * {@code dev.kharden.audit} switches over these records. {@link #toString()} gives the catalogue
 * spelling, which is also what reports show as the desired value.
 */
public sealed interface Predicate {
    /** A literal, or the value of another option ({@code $CONFIG_X}). */
    record Value(String literal, Ref ref) {
        public static Value of(String literal) {
            return new Value(literal, null);
        }

        @Override
        public String toString() {
            if (ref != null) {
                return "$" + ref;
            }
            boolean plain = !literal.isEmpty();
            for (int i = 0; plain && i < literal.length(); i++) { // a loop, not a stream: reports call this per finding
                char c = literal.charAt(i);
                plain = !(c == ',' || c == '(' || c == ')' || c == '"' || Character.isWhitespace(c));
            }
            return plain ? literal : '"' + literal.replace("\"", "\\\"") + '"';
        }
    }

    record Equals(Value value) implements Predicate {
        @Override
        public String toString() {
            return "= " + value;
        }
    }

    record NotEquals(Value value) implements Predicate {
        @Override
        public String toString() {
            return "!= " + value;
        }
    }

    enum Op {
        GE(">="), LE("<="), GT(">"), LT("<");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean holds(int cmp) {
            return switch (this) {
                case GE -> cmp >= 0;
                case LE -> cmp <= 0;
                case GT -> cmp > 0;
                case LT -> cmp < 0;
            };
        }
    }

    /** Numeric comparison; the bound is a literal number or another option's value. */
    record Compare(Op op, Value bound) implements Predicate {
        @Override
        public String toString() {
            return op.symbol + " " + bound;
        }
    }

    record NotSet() implements Predicate {
        @Override
        public String toString() {
            return "is not set";
        }
    }

    record Present() implements Predicate {
        @Override
        public String toString() {
            return "is present";
        }
    }

    record Absent() implements Predicate {
        @Override
        public String toString() {
            return "is absent";
        }
    }

    record NotOff() implements Predicate {
        @Override
        public String toString() {
            return "is not off";
        }
    }

    record Has(String token) implements Predicate {
        @Override
        public String toString() {
            return "has " + Value.of(token);
        }
    }

    /** Parses a number as the kernel writes them (decimal, 0x hex, optional sign); null if not one. */
    static BigInteger number(String text) {
        String t = text.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            t = t.substring(1, t.length() - 1).trim();
        }
        if (t.isEmpty() || t.length() > 40) {
            return null;
        }
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        try {
            BigInteger n = t.startsWith("0x") || t.startsWith("0X")
                    ? new BigInteger(t.substring(2), 16)
                    : new BigInteger(t, 10);
            return negative ? n.negate() : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
