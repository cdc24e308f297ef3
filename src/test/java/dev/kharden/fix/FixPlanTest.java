package dev.kharden.fix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kharden.audit.Auditor;
import dev.kharden.audit.Finding;
import dev.kharden.audit.Inputs;
import dev.kharden.audit.Report;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.catalog.OptionType;
import dev.kharden.cli.CliRun;
import dev.kharden.input.TextSource;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `kharden fix` closes the config gap: its fragment, merged into a real corpus config with
 * merge_config.sh's semantics (implemented here, independently of kharden's own merge), leaves no
 * failing kconfig check except those the plan itself lists as not closable by config alone.
 */
class FixPlanTest {
    static final Pattern SET = Pattern.compile("^(CONFIG_[A-Za-z0-9_]+)=.*$");
    static final Pattern UNSET = Pattern.compile("^# (CONFIG_[A-Za-z0-9_]+) is not set$");

    static Path corpus(String rel) {
        String shared = System.getProperty("kharden.shared");
        Assumptions.assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "corpus")), "../shared absent: skipping");
        return Path.of(shared, "corpus", "kconfig", rel);
    }

    /**
     * scripts/kconfig/merge_config.sh: for each option of the fragment, the base's line for it (set
     * or "is not set") is deleted and the fragment's line appended, so later values override.
     */
    static String mergeConfig(String base, String fragment) {
        Map<String, String> fromFragment = new LinkedHashMap<>();
        for (String line : fragment.split("\n")) {
            String opt = option(line);
            if (opt != null) {
                fromFragment.put(opt, line);
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : base.split("\n")) {
            String opt = option(line);
            if (opt == null || !fromFragment.containsKey(opt)) {
                out.add(line);
            }
        }
        out.addAll(fromFragment.values());
        return String.join("\n", out) + "\n";
    }

    static String option(String line) {
        Matcher m = SET.matcher(line);
        if (m.matches()) {
            return m.group(1);
        }
        m = UNSET.matcher(line);
        return m.matches() ? m.group(1) : null;
    }

    static Set<String> failingKconfig(Catalog catalog, KernelConfig kc, String profile) {
        Report r = new Auditor(catalog).audit(new Inputs(kc, null, null, null, kc.arch().orElseThrow(),
                kc.version().orElse(null)), profile, Map.of());
        return r.findings().stream().filter(Finding::failed).filter(f -> f.check().type() == OptionType.KCONFIG)
                .map(f -> f.check().id()).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    @ParameterizedTest
    @CsvSource({
        "distros/Debian_13_Trixie_x86_64.config, kspp",
        "distros/Fedora_42_Updates_aarch64.config, server",
        "distros/android_pixel-7.config, handset",
        "defconfigs/riscv_defconfig_6.6.config, kspp",
        "defconfigs/i386_defconfig_5.10.config, developer",
    })
    void fragmentMergedWithMergeConfigSemanticsClosesTheConfigGap(String rel, String profile, @TempDir Path out)
            throws Exception {
        Path config = corpus(rel);
        Catalog catalog = CatalogLoader.load();
        KernelConfig before = KconfigParser.parse(config);
        Set<String> failingBefore = failingKconfig(catalog, before, profile);
        assertThat(failingBefore).as("the corpus config should have a gap to close").isNotEmpty();

        CliRun run = CliRun.of("fix", "--profile", profile, "--config", config.toString(), "--out", out.toString(),
                "--format", "json");
        assertThat(run.code()).as(run.err()).isIn(0, 1);
        String fragment = Files.readString(out.resolve(FixFiles.FRAGMENT));
        String merged = mergeConfig(Files.readString(config), fragment);
        KernelConfig after = KconfigParser.parse(TextSource.fromBytes("merged", merged.getBytes(StandardCharsets.UTF_8)));
        Set<String> failingAfter = failingKconfig(catalog, after, profile);

        Set<String> declared = new java.util.TreeSet<>();
        for (JsonNode u : run.json().get("unresolved")) {
            declared.add(u.get("id").asText());
            assertThat(u.get("why").asText()).isNotBlank();
        }
        // every kconfig check that still fails is one the plan said config alone cannot close
        assertThat(failingAfter).as("still failing after the merge, not declared").isSubsetOf(declared);
        assertThat(failingAfter.size()).as("the gap shrank").isLessThan(failingBefore.size());
        assertThat(run.code()).isEqualTo(declared.isEmpty() ? 0 : 1);
    }

    @Test
    void sysctlAndBootParameterFilesMeetTheProfile(@TempDir Path out) throws Exception {
        Path config = corpus("distros/Debian_13_Trixie_x86_64.config");
        CliRun run = CliRun.of("fix", "--profile", "kspp", "--config", config.toString(), "--out", out.toString());
        assertThat(run.out()).contains("wrote " + out.resolve(FixFiles.FRAGMENT));
        Path sysctlFile = out.resolve(FixFiles.SYSCTL);
        // the sysctl.d file, fed back as sysctl values, passes every sysctl check it planned
        String sysctl = Files.readString(sysctlFile).lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n"))
                + "\nkernel.printk = 4 4 1 7\n";
        Path dump = Files.writeString(out.resolve("sysctl.txt"), sysctl);
        String cmd = Files.readString(out.resolve(FixFiles.CMDLINE)).lines().filter(l -> l.startsWith("add: "))
                .findFirst().orElseThrow().substring(5);
        Path cmdline = Files.writeString(out.resolve("cmdline.txt"), "BOOT_IMAGE=/vmlinuz " + cmd + "\n");
        // boot parameters are planned against the fixed config (its defaults can make some unnecessary)
        config = Files.writeString(out.resolve("merged.config"),
                mergeConfig(Files.readString(config), Files.readString(out.resolve(FixFiles.FRAGMENT))));
        JsonNode report = CliRun.of("check", "--profile", "kspp", "--config", config.toString(), "--sysctl", dump.toString(),
                "--cmdline", cmdline.toString(), "--format", "json").json();
        JsonNode again = CliRun.of("fix", "--profile", "kspp", "--config", config.toString(), "--sysctl", dump.toString(),
                "--cmdline", cmdline.toString(), "--format", "json").json();
        Set<String> unresolved = new java.util.TreeSet<>();
        again.get("unresolved").forEach(u -> unresolved.add(u.get("id").asText()));
        for (JsonNode f : report.get("reports").get(0).get("findings")) {
            String type = f.get("type").asText();
            if ((type.equals("sysctl") || type.equals("cmdline")) && f.get("verdict").asText().equals("fail")) {
                assertThat(unresolved).as(f.get("id").asText() + ": " + f.get("reason").asText()).contains(f.get("id").asText());
            }
        }
        assertThat(again.get("sysctl").size()).as("nothing left to set").isZero();
    }

    @Test
    void aProfileThatOnlyRulesAValueOutGetsTheChecksOwnValue(@TempDir Path out) throws Exception {
        Path config = Files.writeString(out.resolve("x86.config"), "CONFIG_X86_64=y\nCONFIG_MODULES=y\n");
        // server asks fs.suid_dumpable != 1; the check's own expectation, = 0, is a value that meets it
        JsonNode plan = CliRun.of("fix", "--profile", "server", "--config", config.toString(), "--format", "json").json();
        assertThat(plan.get("sysctl").get("fs.suid_dumpable").asText()).isEqualTo("0");
        List<String> unresolved = new ArrayList<>();
        plan.get("unresolved").forEach(u -> unresolved.add(u.get("id").asText()));
        assertThat(unresolved).doesNotContain("sysctl:fs.suid_dumpable");
        // a kernel without the option (before 5.1) cannot close the gap by config: the plan says why
        for (JsonNode u : plan.get("unresolved")) {
            if (u.get("id").asText().equals("kconfig:CONFIG_LDISC_AUTOLOAD")) {
                assertThat(u.get("why").asText()).startsWith("CONFIG_LDISC_AUTOLOAD does not exist in this kernel");
            }
        }
        assertThat(unresolved).contains("kconfig:CONFIG_LDISC_AUTOLOAD");
    }

    @Test
    void withoutAConfigTheRunningKernelIsFixed(@TempDir Path root) throws Exception {
        for (String[] file : new String[][] {{"proc/sys/kernel/osrelease", "6.1.0-test\n"},
                {"boot/config-6.1.0-test", "CONFIG_X86_64=y\nCONFIG_MODULES=y\nCONFIG_DEVMEM=y\n"},
                {"proc/cmdline", "BOOT_IMAGE=/vmlinuz quiet\n"}}) {
            Files.createDirectories(root.resolve(file[0]).getParent());
            Files.writeString(root.resolve(file[0]), file[1]);
        }
        CliRun r = CliRun.of("fix", "--root", root.toString(), "--format", "json");
        assertThat(r.err()).contains("fixing the running kernel: config " + root.resolve("boot/config-6.1.0-test"))
                .contains("boot parameters from " + root.resolve("proc/cmdline"));
        assertThat(r.json().get("config").asText()).isEqualTo(root.resolve("boot/config-6.1.0-test").toString());
        assertThat(r.json().get("kconfig").size()).isPositive();
        CliRun none = CliRun.of("fix", "--root", root.resolve("boot").toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("the running kernel's config is not readable").contains("pass --config FILE");
    }

    @Test
    void derivesValuesFromPredicates() {
        FixPlanner.Target lsm = new FixPlanner.Target(OptionType.KCONFIG, "CONFIG_LSM",
                dev.kharden.catalog.ExprParser.predicate("has yama"));
        assertThat(FixPlanner.value(lsm, "\"landlock,lockdown\"", r -> null)).isEqualTo("\"landlock,lockdown,yama\"");
        assertThat(FixPlanner.value(lsm, null, r -> null)).isEqualTo("\"yama\"");
        FixPlanner.Target gt = new FixPlanner.Target(OptionType.SYSCTL, "k", dev.kharden.catalog.ExprParser.predicate("> 4"));
        assertThat(FixPlanner.value(gt, null, r -> null)).isEqualTo("5");
        FixPlanner.Target bound = new FixPlanner.Target(OptionType.SYSCTL, "vm.mmap_rnd_bits",
                dev.kharden.catalog.ExprParser.predicate(">= $CONFIG_ARCH_MMAP_RND_BITS_MAX"));
        assertThat(FixPlanner.value(bound, "28", r -> "32")).isEqualTo("32");
        FixPlanner.Target ne = new FixPlanner.Target(OptionType.KCONFIG, "CONFIG_X", dev.kharden.catalog.ExprParser.predicate("!= y"));
        assertThat(FixPlanner.value(ne, "y", r -> null)).isNull();
        FixPlanner.Target str = new FixPlanner.Target(OptionType.KCONFIG, "CONFIG_K",
                dev.kharden.catalog.ExprParser.predicate("= \"certs/signing_key.pem\""));
        assertThat(FixPlanner.value(str, null, r -> null)).isEqualTo("\"certs/signing_key.pem\"");
    }

    @Test
    void badInputAndUnwritableOutputAreOneLineAndWriteNothing(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("fix", "--config", dir.resolve("nope.config").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("kharden: " + dir.resolve("nope.config") + ": no such file");
        Path cfg = Files.writeString(dir.resolve("x.config"), "CONFIG_X86_64=y\nCONFIG_DEVMEM=y\n");
        Path file = Files.writeString(dir.resolve("afile"), "x");
        CliRun notDir = CliRun.of("fix", "--config", cfg.toString(), "--out", file.resolve("sub").toString());
        assertThat(notDir.code()).isEqualTo(2);
        assertThat(notDir.err()).startsWith("kharden: cannot create " + file.resolve("sub")).doesNotContain("Exception");
        Path ro = Files.createDirectory(dir.resolve("ro"));
        if (ro.toFile().setWritable(false) && !Files.isWritable(ro)) { // not when running as root
            CliRun denied = CliRun.of("fix", "--config", cfg.toString(), "--out", ro.toString());
            assertThat(denied.code()).isEqualTo(2);
            assertThat(denied.err()).contains("cannot write into " + ro);
            try (var s = Files.list(ro)) {
                assertThat(s.toList()).isEmpty();
            }
        }
        // one target that cannot be written (a folder in its place): none of the three files is written
        Path blocked = Files.createDirectories(dir.resolve("blocked").resolve(FixFiles.CMDLINE));
        CliRun partial = CliRun.of("fix", "--config", cfg.toString(), "--out", blocked.getParent().toString());
        assertThat(partial.code()).isEqualTo(2);
        assertThat(partial.err()).contains("nothing written");
        try (var s = Files.list(blocked.getParent())) {
            assertThat(s.map(x -> x.getFileName().toString()).toList()).containsExactly(FixFiles.CMDLINE);
        }
        CliRun profile = CliRun.of("fix", "--config", cfg.toString(), "--profile", "paranoid");
        assertThat(profile.err()).contains("unknown profile 'paranoid'");
    }
}
