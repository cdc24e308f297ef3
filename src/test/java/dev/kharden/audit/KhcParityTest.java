package dev.kharden.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;
import dev.kharden.cmdline.Cmdline;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import dev.kharden.sysctl.SysctlParser;
import dev.kharden.sysctl.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Parity with kernel-hardening-checker 0.6.17.1 under the kspp profile. Its verdicts on every
 * config of shared/corpus/kconfig (and a few cmdline/sysctl runs) are recorded as test data in
 * src/test/resources/dev/kharden/audit/khc; for each of its checks kharden must have a check
 * (joined on type, option and desired value) that reaches the same pass/fail verdict, or a
 * `parity` note in the catalogue saying why it deliberately differs.
 */
class KhcParityTest {
    static final Path KHC = Path.of("src/test/resources/dev/kharden/audit/khc");

    private static final java.util.concurrent.atomic.AtomicInteger COMPARED = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger EXCUSED = new java.util.concurrent.atomic.AtomicInteger();

    @org.junit.jupiter.api.AfterAll
    static void summary() {
        if (COMPARED.get() > 0) {
            System.out.println("kernel-hardening-checker parity: " + COMPARED.get() + " verdicts compared, "
                    + EXCUSED.get() + " differ by design (each with a parity note in the catalogue)");
        }
    }

    record Row(String type, String option, String desired, boolean ok, String result) {
    }

    static Path corpus() {
        Path shared = Path.of(System.getProperty("kharden.shared", "../shared"));
        Path kconfig = shared.resolve("corpus/kconfig");
        Assumptions.assumeTrue(Files.isDirectory(kconfig), shared + "/corpus/kconfig absent: skipping parity");
        return kconfig;
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedRunAgrees() throws IOException {
        Path corpus = corpus();
        Catalog catalog = CatalogLoader.load();
        Map<String, List<Check>> index = new HashMap<>();
        for (Feature f : catalog.features()) {
            for (Check c : f.checks()) {
                if (c.khc() != null) {
                    index.computeIfAbsent(key(c.type().id(), c.option(), c.khc().desired()), k -> new ArrayList<>()).add(c);
                }
            }
        }
        List<String[]> runs = Files.readAllLines(KHC.resolve("runs.tsv")).stream().skip(1)
                .map(l -> l.split("\t", -1)).toList();
        return runs.stream().map(run -> DynamicTest.dynamicTest(run[0], () -> compare(run, corpus, catalog, index)));
    }

    private void compare(String[] run, Path corpus, Catalog catalog, Map<String, List<Check>> index) throws IOException {
        KernelConfig kc = run[1].isEmpty() ? null : KconfigParser.parse(corpus.resolve(run[1]));
        Cmdline cl = run[2].isEmpty() ? null : CmdlineParser.parse(resolve(run[2], corpus));
        Sysctls sc = run[3].isEmpty() ? null : SysctlParser.parse(resolve(run[3], corpus));
        Arch arch = run[4].isEmpty() ? null : Arch.parse(run[4]).orElseThrow();
        KernelVersion version = kc == null ? null : kc.version().orElse(null);
        Evaluator ev = new Evaluator(new Inputs(kc, cl, sc, null, arch, version));
        List<String> missing = new ArrayList<>();
        Map<String, String> mismatches = new TreeMap<>();
        int excused = 0;
        for (Row row : rows(KHC.resolve(run[5]))) {
            List<Check> candidates = index.getOrDefault(key(row.type(), row.option(), row.desired()),
                    // kernel-hardening-checker prints its MAX placeholder resolved to the config's number
                    index.getOrDefault(key(row.type(), row.option(), "MAX"), List.of()));
            Check check = candidates.stream().filter(c -> arch == null || c.appliesTo(arch))
                    .filter(c -> arch != null || c.arch().isEmpty()).findFirst()
                    .orElse(candidates.isEmpty() ? null : candidates.get(0));
            if (check == null) {
                missing.add(row.type() + " " + row.option() + " " + row.desired());
                continue;
            }
            Verdict v = ev.check(check, "kspp");
            COMPARED.incrementAndGet();
            boolean ours = v instanceof Verdict.Pass;
            if (ours != row.ok() || !check.profiles().contains("kspp")) {
                if (check.parity() != null && check.profiles().contains("kspp")) {
                    excused++;
                } else {
                    mismatches.put(check.id(), "khc " + (row.ok() ? "OK" : "FAIL") + " (" + row.result() + "), kharden "
                            + v.id() + " (" + v.reason() + ")");
                }
            }
        }
        EXCUSED.addAndGet(excused);
        List<String> problems = new ArrayList<>();
        missing.forEach(m -> problems.add("no kharden check for: " + m));
        mismatches.forEach((id, why) -> problems.add(id + ": " + why));
        assertThat(problems).as("%s: %d checks missing, %d verdicts differ without a parity note (%d differences carry one)",
                run[0], missing.size(), mismatches.size(), excused).isEmpty();
    }

    private static Path resolve(String ref, Path corpus) {
        if (ref.startsWith("corpus:")) {
            return corpus.resolve(ref.substring("corpus:".length()));
        }
        return KHC.resolve(ref.substring("fixture:".length()));
    }

    static List<Row> rows(Path tsv) throws IOException {
        return Files.readAllLines(tsv).stream().skip(1).map(l -> l.split("\t", -1))
                .map(f -> new Row(f[0], f[1], f[2], Boolean.parseBoolean(f[3]), f[4])).toList();
    }

    static String key(String type, String option, String desired) {
        return type + "\u0000" + option + "\u0000" + desired;
    }
}
