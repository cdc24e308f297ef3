package dev.kharden.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports kharden's version from the jar manifest (or "dev" when run from classes). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"kharden " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
}
