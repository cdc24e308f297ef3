package dev.kharden.scan;

import java.util.List;

/**
 * What became of one file: scanned (with its findings and any warnings, such as an expression too
 * deeply nested to analyse), skipped for a stated reason (binary, too large), or failed (unreadable,
 * parse abandoned). A batch goes on past every one of these.
 */
public record FileResult(String path, Status status, String reason, List<Finding> findings, List<String> warnings) {
    public enum Status { SCANNED, SKIPPED, ERROR }

    public FileResult {
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
    }

    public static FileResult skipped(String path, String reason) {
        return new FileResult(path, Status.SKIPPED, reason, List.of(), List.of());
    }

    public static FileResult error(String path, String reason) {
        return new FileResult(path, Status.ERROR, reason, List.of(), List.of());
    }
}
