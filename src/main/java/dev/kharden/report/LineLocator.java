package dev.kharden.report;

import dev.kharden.catalog.OptionType;

/**
 * Where an input sets an option: the 1-based line a SARIF result points at. {@link SourceLines} reads
 * the input files the report names; {@link #WHOLE_FILE} reads nothing and points at line 1, for
 * reports whose input names are not files on this system.
 */
@FunctionalInterface
public interface LineLocator {
    /** Points every result at line 1, the whole file, and touches no file. */
    LineLocator WHOLE_FILE = (file, type, option) -> 1;

    /** The line of {@code file} that sets {@code option}, or 1 when it cannot be placed. Never fails. */
    int lineOf(String file, OptionType type, String option);
}
