package dev.kharden.catalog;

import java.util.List;

/** Where a hardening feature comes from: its lineage and its PaX/grsecurity name, if any. */
public record Origin(List<String> lineage, String paxGrsec, String notes) {
    @Override
    public String toString() {
        String s = String.join(", ", lineage);
        return paxGrsec == null ? s : s + " (" + paxGrsec + ")";
    }
}
