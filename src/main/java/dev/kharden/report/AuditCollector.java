package dev.kharden.report;

import dev.kharden.audit.Auditor;
import dev.kharden.audit.LiveSystem;
import dev.kharden.audit.Report;
import dev.kharden.audit.Verdict;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.input.InputException;
import dev.kharden.seal.Collector;
import dev.kharden.seal.Machine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Puts kharden's own hardening audit of the sealed machine into the bundle: the report `kharden
 * check` prints there by default (profile {@value #PROFILE}, JSON schema kharden-report/1), as
 * {@value #ENTRY}, with the profile and the pass/fail counts as manifest facts. `kharden seal` passes
 * it to the sealer (a ServiceLoader look-up would open and index the whole jar at every seal).
 */
public final class AuditCollector implements Collector {
    public static final String ENTRY = "audit/report.json";
    static final String PROFILE = "server";

    @Override
    public String id() {
        return dev.kharden.seal.Sealer.AUDIT_ID;
    }

    @Override
    public void collect(Machine machine, Sink sink) throws IOException {
        Catalog catalog = CatalogLoader.load();
        LiveSystem.Collected live;
        try {
            live = LiveSystem.collect(machine.path("/"), catalog, null, null);
        } catch (InputException | IllegalArgumentException e) {
            sink.note("audit: cannot audit this machine: " + e.getMessage());
            return;
        }
        Report r = new Auditor(catalog).audit(live.inputs(), PROFILE, live.names());
        java.io.StringWriter json = new java.io.StringWriter(1 << 18);
        JsonReport.write(List.of(r), JsonReport.toolVersion(), json);
        // String's encoder, not an OutputStreamWriter's: the same bytes, without an interpreted encoding loop
        sink.add(ENTRY, json.toString().getBytes(StandardCharsets.UTF_8), "kharden check --profile " + PROFILE);
        sink.fact("audit.profile", PROFILE);
        sink.fact("audit.fail", Long.toString(r.count(Verdict.Fail.class)));
        sink.fact("audit.pass", Long.toString(r.count(Verdict.Pass.class)));
        sink.fact("audit.unknown", Long.toString(r.count(Verdict.Unknown.class)));
        for (var w : live.warnings()) {
            sink.note("audit: " + w); // with the file it is about
        }
    }
}
