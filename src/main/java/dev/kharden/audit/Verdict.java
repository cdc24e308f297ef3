package dev.kharden.audit;

/**
 * The outcome of one check: typed, never compared as strings. Each carries the reason a person
 * reads (what was found, why it does not apply, which input was missing).
 */
public sealed interface Verdict {
    String reason();

    /** The JSON and SARIF spelling: pass, fail, not_applicable, unknown. */
    String id();

    record Pass(String reason) implements Verdict {
        @Override
        public String id() {
            return "pass";
        }
    }

    record Fail(String reason) implements Verdict {
        @Override
        public String id() {
            return "fail";
        }
    }

    record NotApplicable(String reason) implements Verdict {
        @Override
        public String id() {
            return "not_applicable";
        }
    }

    record Unknown(String reason) implements Verdict {
        @Override
        public String id() {
            return "unknown";
        }
    }
}
