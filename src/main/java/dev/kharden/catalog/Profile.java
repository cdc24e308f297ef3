package dev.kharden.catalog;

/** A lock-down profile: which checks a kind of machine should pass, and why. */
public record Profile(String id, String title, String summary, String rationale) {
}
