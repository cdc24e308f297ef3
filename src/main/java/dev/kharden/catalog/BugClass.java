package dev.kharden.catalog;

import java.util.List;

/** One class of kernel bug that hardening features defend against (the 25-class taxonomy). */
public record BugClass(String id, String name, String definition, List<Integer> cwe) {
}
