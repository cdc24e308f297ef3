package dev.kharden.policy;

import dev.kharden.audit.Finding;
import java.time.LocalDate;

/**
 * One accepted risk from a waiver file: what it covers ({@code target}: a check id, an option as the
 * kernel spells it, or a feature id), why, until when ({@code expires}, inclusive; null for no
 * expiry), and where it was written, so that every waived finding and every expired waiver can
 * name its file and line.
 */
public record Waiver(String target, String reason, LocalDate expires, String source, int line) {
    public boolean expiredOn(LocalDate today) {
        return expires != null && today.isAfter(expires);
    }

    public boolean covers(Finding f) {
        return target.equals(f.check().id()) || target.equals(f.check().option()) || target.equals(f.feature().id());
    }

    public String where() {
        return source + ":" + line;
    }

    Finding.Waiver asFindingWaiver() {
        return new Finding.Waiver(reason, expires, where());
    }
}
