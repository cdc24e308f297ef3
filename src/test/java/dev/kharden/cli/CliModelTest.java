package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The models read from the build's CliModelData class, against picocli's reflective models of the
 * same commands: every property, the help text and what a parse leaves in the command's fields.
 */
class CliModelTest {
    private static Object make(Class<?> c) throws Exception {
        var k = c.getDeclaredConstructor();
        k.setAccessible(true);
        return k.newInstance();
    }

    @Test
    void everyCommandIsModelledExactlyAsReflectionModelsIt() throws Exception {
        List<Class<?>> classes = CliModelWriter.commandClasses();
        assertThat(classes).hasSizeGreaterThan(15).contains(SealCommand.class, CheckCommand.class,
                ModsigVerifyCommand.class, LivepatchCheckCommand.class, KhardenCommand.class,
                CommandLine.HelpCommand.class);
        for (Class<?> c : classes) {
            assertThat(CliModel.describes(c)).as(c.getName()).isTrue();
            CommandSpec built = CliModel.spec(make(c));
            assertThat(built).as(c.getName()).isNotNull();
            String want = CliModelWriter.describe(new CommandLine(make(c)));
            String got = CliModelWriter.describe(new CommandLine(built));
            assertThat(got).as(c.getName() + ": " + CliModelWriter.firstDifference(want, got)).isEqualTo(want);
        }
    }

    @Test
    void theShippedModelIsTheOneTheseClassesGive() throws Exception {
        // the build writes CliModelData from the compiled commands; a stale one would differ here
        Map<String, byte[]> fresh = CliModel.read(CliModelWriter.model());
        for (Class<?> c : CliModelWriter.commandClasses()) {
            assertThat(CliModel.describes(c)).isTrue();
            assertThat(fresh.get(c.getName())).as(c.getName()).isNotNull();
        }
        assertThat(CliModelWriter.describe(new CommandLine(CliModel.read(make(SealCommand.class), fresh.get(SealCommand.class.getName()))))).isEqualTo(CliModelWriter.describe(CliModel.commandLine(make(SealCommand.class))));
    }

    @Test
    void theComparisonSeesADifference() throws Exception {
        CommandSpec built = CliModel.spec(make(SealCommand.class));
        String before = CliModelWriter.describe(new CommandLine(built));
        CommandSpec changed = CliModel.spec(make(SealCommand.class));
        changed.usageMessage().abbreviateSynopsis(true);
        String after = CliModelWriter.describe(new CommandLine(changed));
        assertThat(after).isNotEqualTo(before);
        assertThat(CliModelWriter.firstDifference(before, after)).contains("usage.abbreviateSynopsis = true");
        assertThat(CliModelWriter.firstDifference(before, before)).isEqualTo("(none)");
    }

    /** Command lines that exercise what kharden's options use: repeats, splits, optional values, negation, enums, positionals. */
    private static final Map<Class<?>, List<String[]>> LINES = Map.of(
            SealCommand.class, List.of(
                    new String[] {"--to", "age1a", "-r", "age1b", "-o", "b.age", "--force", "--format", "JSON", "x", "y"},
                    new String[] {"-o", "b.age"}),
            CheckCommand.class, List.of(
                    new String[] {"--config", "a.config", "--config", "b.config", "--profile", "kspp", "--format", "json"},
                    new String[] {}),
            ScanCommand.class, List.of(
                    new String[] {"--fix", "--rules", "a,b", "--no-progress", "src"},
                    new String[] {"--fix", "out.patch", "--progress", "src", "more"},
                    new String[] {"src"}),
            ExplainCommand.class, List.<String[]>of(new String[] {"kptr-restrict", "--format", "json"}),
            ModsigVerifyCommand.class, List.<String[]>of(new String[] {"-j", "3", "mods"}));

    @Test
    void aParseLeavesTheSameValuesInTheCommandsFields() throws Exception {
        for (var e : LINES.entrySet()) {
            for (String[] line : e.getValue()) {
                Object reflective = make(e.getKey());
                Object built = make(e.getKey());
                CommandLine r = new CommandLine(reflective);
                CommandLine b = CliModel.commandLine(built);
                r.setCaseInsensitiveEnumValuesAllowed(true);
                b.setCaseInsensitiveEnumValuesAllowed(true);
                r.parseArgs(line);
                b.parseArgs(line);
                assertThat(fields(built)).as(e.getKey().getSimpleName() + " " + Arrays.toString(line))
                        .isEqualTo(fields(reflective)).isNotEmpty();
            }
        }
    }

    @Test
    void theSpecFieldHoldsTheModelAndTheCommandRuns() throws Exception {
        KhardenCommand root = new KhardenCommand();
        CommandLine cli = CliModel.commandLine(root);
        assertThat(root.spec).isSameAs(cli.getCommandSpec());
        java.io.StringWriter out = new java.io.StringWriter();
        cli.setOut(new java.io.PrintWriter(out));
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString()).startsWith("kharden ");
    }

    @Command(name = "other")
    static final class NotModelled implements Runnable {
        @Option(names = "--x")
        int x;

        @Override
        public void run() {
        }
    }

    @Test
    void aCommandTheBuildDidNotModelGetsReflection() {
        NotModelled o = new NotModelled();
        assertThat(CliModel.describes(NotModelled.class)).isFalse();
        assertThat(CliModel.spec(o)).isNull();
        CommandLine cli = CliModel.commandLine(o);
        cli.parseArgs("--x", "7");
        assertThat(o.x).isEqualTo(7);
    }

    /** The declared fields of a command and their values, as text (the spec field aside: each model has its own). */
    private static List<String> fields(Object o) throws IllegalAccessException {
        List<String> out = new ArrayList<>();
        for (Field f : o.getClass().getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType() == CommandSpec.class) {
                continue;
            }
            f.setAccessible(true);
            Object v = f.get(o);
            out.add(f.getName() + "=" + (v instanceof Object[] a ? Arrays.toString(a) : String.valueOf(v)));
        }
        return out;
    }
}
