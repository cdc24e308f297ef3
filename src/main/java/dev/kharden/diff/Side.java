package dev.kharden.diff;

import java.util.List;
import java.util.Map;

/**
 * One side of a diff: a label, the profile it was judged against, and its findings by check id.
 * Comes from auditing a config or from reading a JSON report, so both compare the same way.
 */
public record Side(String label, String profile, Map<String, Entry> findings) {
    /** What a diff needs of one finding. */
    public record Entry(String id, String option, String feature, String verdict, String severity,
            List<String> bugClasses, String actual) {
        public boolean passed() {
            return "pass".equals(verdict);
        }
    }
}
