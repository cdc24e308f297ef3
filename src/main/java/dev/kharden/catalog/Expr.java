package dev.kharden.catalog;

import dev.kharden.kernel.KernelVersion;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A condition over kernel settings, as written in the catalogue (see docs/catalog-format.md):
 * any/all/not combinations of option tests and kernel-version tests. Immutable; evaluated by
 * {@code dev.kharden.audit.Evaluator} with three-valued logic.
 */
public sealed interface Expr {
    record Any(List<Expr> parts) implements Expr {
        @Override
        public String toString() {
            return parts.stream().map(Object::toString).collect(Collectors.joining(", ", "any(", ")"));
        }
    }

    record All(List<Expr> parts) implements Expr {
        @Override
        public String toString() {
            return parts.stream().map(Object::toString).collect(Collectors.joining(", ", "all(", ")"));
        }
    }

    record Not(Expr part) implements Expr {
        @Override
        public String toString() {
            return "not(" + part + ")";
        }
    }

    record VersionTest(String op, KernelVersion version) implements Expr {
        public boolean holds(KernelVersion actual) {
            int c = actual.compareTo(version);
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                default -> throw new IllegalStateException(op);
            };
        }

        @Override
        public String toString() {
            return "version " + op + " " + version;
        }
    }

    record OptionTest(Ref ref, Predicate predicate) implements Expr {
        @Override
        public String toString() {
            return ref + " " + predicate;
        }
    }
}
