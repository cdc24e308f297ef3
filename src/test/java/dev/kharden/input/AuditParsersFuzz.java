package dev.kharden.input;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.sysctl.SysctlParser;

/**
 * Fuzz targets for the audit's parsers of untrusted text (a .config, possibly gzip; /proc/cmdline;
 * `sysctl -a` output). The invariant: any bytes either parse or raise InputException; no other
 * exception escapes. bin/fuzz runs each for a bounded time; bin/test replays the saved inputs.
 */
class AuditParsersFuzz {
    @FuzzTest(maxDuration = "15s")
    void kconfig(byte[] data) {
        try {
            KconfigParser.parse(TextSource.fromBytes("fuzz.config", data));
        } catch (InputException expected) {
            // bad input is reported, never a crash
        }
    }

    @FuzzTest(maxDuration = "15s")
    void cmdline(byte[] data) {
        try {
            CmdlineParser.parse(TextSource.fromBytes("fuzz.cmdline", data));
        } catch (InputException expected) {
            // bad input is reported, never a crash
        }
    }

    @FuzzTest(maxDuration = "15s")
    void sysctl(byte[] data) {
        try {
            SysctlParser.parse(TextSource.fromBytes("fuzz.sysctl", data));
        } catch (InputException expected) {
            // bad input is reported, never a crash
        }
    }
}
