package dev.kharden.cli;

/** Output formats; each command accepts the ones it supports and says so in its help. */
public enum Format {
    text, json, sarif, html
}
