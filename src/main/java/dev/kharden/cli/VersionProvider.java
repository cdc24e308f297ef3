package dev.kharden.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports kharden's version from the jar manifest (or "dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"kharden " + dev.kharden.report.JsonReport.toolVersion() + " (Java " + Runtime.version() + ")"};
    }
}
