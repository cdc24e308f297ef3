package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class CommandsTest {
    @Test
    void registryNamesMatchTheCommandAnnotations() {
        for (Map.Entry<String, Supplier<Object>> e : Commands.ALL.entrySet()) {
            Command c = e.getValue().get().getClass().getAnnotation(Command.class);
            assertThat(c).as(e.getKey()).isNotNull();
            assertThat(c.name()).isEqualTo(e.getKey());
        }
        Commands.GROUPS.forEach((group, subs) -> subs.forEach((name, make) ->
                assertThat(make.get().getClass().getAnnotation(Command.class).name()).as(group + " " + name)
                        .isEqualTo(name)));
    }

    @Test
    void versionIsThePomsEverywhereItIsShown() {
        String pom = System.getProperty("kharden.pom.version");
        org.junit.jupiter.api.Assumptions.assumeTrue(pom != null, "run through Maven, which passes the pom's version");
        assertThat(dev.kharden.report.JsonReport.toolVersion()).isEqualTo(pom);
        assertThat(CliRun.of("--version").out()).startsWith("kharden " + pom + " (Java ");
    }

    /** -V on a command or a group's subcommand prints kharden's version, as on kharden itself (picocli's printed nothing). */
    @Test
    void versionFromEverySubcommand() {
        String version = CliRun.of("--version").out();
        assertThat(version).startsWith("kharden ");
        for (String[] args : new String[][] {{"check", "-V"}, {"seal", "--version"}, {"unseal", "-V"}, {"modsig", "verify", "-V"}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).isEqualTo(version);
        }
    }

    @Test
    void helpForASubcommandOfAGroupEitherWay() {
        for (String[] args : new String[][] {{"help", "modsig", "verify"}, {"modsig", "help", "verify"}, {"modsig", "verify", "--help"}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage: kharden modsig verify");
        }
        assertThat(CliRun.of("help", "check").out()).contains("Usage: kharden check");
        assertThat(CliRun.of("help", "livepatch", "check").out()).contains("Usage: kharden livepatch check");
    }

    @Test
    void parseErrorsAreOneLineWithAHintNotTheWholeHelp() {
        CliRun typo = CliRun.of("check", "--confg", "x.config");
        assertThat(typo.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).startsWith("kharden: Unknown options: '--confg'").contains("--config")
                .contains("hint: 'kharden check --help' lists the options").doesNotContain("Usage:");
        CliRun format = CliRun.of("check", "-f", "xml");
        assertThat(format.err()).startsWith("kharden: Invalid value for option '--format'").doesNotContain("Usage:");
        CliRun command = CliRun.of("nosuch");
        assertThat(command.err()).contains("hint: 'kharden --help' lists the commands");
    }

    @Test
    void anEmptyPathIsRefusedNotTakenForTheCurrentFolder() {
        for (String[] args : new String[][] {{"check", "--config", ""}, {"scan", ""}, {"docs", "--out", ""},
                {"modsig", "inspect", ""}, {"seal", "--root", "", "--to", "age1x", "-o", "x.age"}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", args)).contains("an empty path");
        }
    }

    @Test
    void aGroupWithoutASubcommandIsAUsageError() {
        for (String group : new String[] {"modsig", "livepatch"}) {
            CliRun r = CliRun.of(group);
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("Usage: kharden " + group).contains("kharden: " + group + " needs a subcommand");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void examplesInHelpAreNeverWrapped() {
        // picocli wraps footers at the usage width (80 when not on a terminal): a copied command would break
        String help = CliRun.of("modsig", "sign", "--help").out();
        assertThat(help).contains("  kharden modsig sign --key key.pem --cert key.pem --hash sha512 --key-id mymod.ko signed/mymod.ko\n");
        String check = CliRun.of("check", "--help").out();
        for (String line : check.substring(check.indexOf("Examples:")).split("\n")) {
            if (line.startsWith("  kharden")) {
                assertThat(line).doesNotEndWith("--waivers");
            }
        }
        // prose lines of a footer are still wrapped
        assertThat(help.lines().filter(l -> !l.startsWith(" ")).mapToInt(String::length).max().orElse(0)).isLessThanOrEqualTo(80);
    }

    @Test
    void aGroupRunBuildsOnlyTheSubcommandItNames() {
        var none = new java.io.PrintWriter(java.io.Writer.nullWriter());
        picocli.CommandLine one = Main.commandLine("modsig", "verify", none, none).getSubcommands().get("modsig");
        assertThat(one.getSubcommands()).containsOnlyKeys("verify");
        picocli.CommandLine all = Main.commandLine("modsig", "--help", none, none).getSubcommands().get("modsig");
        assertThat(all.getSubcommands()).containsOnlyKeys(Commands.GROUPS.get("modsig").keySet());
        CliRun help = CliRun.of("modsig", "--help");
        assertThat(help.out()).contains("inspect").contains("verify").contains("certs").contains("sign");
    }

    @Test
    void noCommandMakesPicocliScanForMethodSubcommands() {
        // Scanning every method of a command class for @Command costs start-up time on each run.
        java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
        todo.add(Main.commandLine(null, null, new java.io.PrintWriter(java.io.Writer.nullWriter()),
                new java.io.PrintWriter(java.io.Writer.nullWriter())));
        int seen = 0;
        while (!todo.isEmpty()) {
            picocli.CommandLine cl = todo.poll();
            Object user = cl.getCommandSpec().userObject();
            if (!(user instanceof picocli.CommandLine.HelpCommand)) {
                Command c = user.getClass().getAnnotation(Command.class);
                assertThat(c.addMethodSubcommands()).as(user.getClass().getName()).isFalse();
                seen++;
            }
            todo.addAll(cl.getSubcommands().values());
        }
        assertThat(seen).isGreaterThan(Commands.ALL.size());
    }

    @Test
    void rootHelpListsEveryVisibleCommandAndExitCodes() {
        CliRun r = CliRun.of("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("check").contains("catalog").contains("explain").contains("Exit codes")
                .doesNotContain("__train");
        CliRun unknown = CliRun.of("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("frobnicate");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String name : Commands.ALL.keySet()) {
            if (name.startsWith("__")) {
                continue;
            }
            CliRun r = CliRun.of(name, "--help");
            assertThat(r.code()).as(name).isZero();
            assertThat(r.out()).as(name).contains("Usage: kharden " + name).contains("Examples:");
        }
    }
}
