package dev.kharden.cli;

import dev.kharden.files.EmbeddedWriter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ITypeInfo;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Range;
import picocli.CommandLine.Spec;

/**
 * Build step: writes {@link CliModel}'s resource from the annotations of every kharden command
 * (reflection is fine here: it runs once, in the build). Each command is described by the
 * attributes its annotations set, and by what picocli derived from its fields (types, arities,
 * the options that {@code mixinStandardHelpOptions} adds). An attribute {@link CliModel} cannot
 * apply fails the build, naming it; so does any difference between the model read back and
 * picocli's reflective one ({@link #describe}).
 *
 * <p>Usage: {@code CliModelWriter CLASSES-FOLDER}: writes the class {@link CliModel#DATA_CLASS} there.
 */
public final class CliModelWriter {
    /** Command attributes that need no entry: the model never inspects methods, and the help options are written as options. */
    private static final Set<String> COMMAND_IMPLIED = Set.of("addMethodSubcommands", "mixinStandardHelpOptions");
    /** Argument attributes written from picocli's derived model instead (names first; types and ranges as picocli resolved them). */
    private static final Set<String> ARG_DERIVED = Set.of("names", "arity", "index", "type", "paramLabel", "required");

    private CliModelWriter() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: CliModelWriter CLASSES-FOLDER");
            System.exit(2);
        }
        // an older build's model must not stand in while this one is made
        java.nio.file.Files.deleteIfExists(Path.of(args[0]).resolve(CliModel.DATA_CLASS.replace('.', '/') + ".class"));
        EmbeddedWriter.write(Path.of(args[0]), CliModel.DATA_CLASS, model());
    }

    /** Every command class kharden runs: the registry's, its groups', and their declared subcommands. */
    static List<Class<?>> commandClasses() {
        Set<Class<?>> seen = new java.util.LinkedHashSet<>();
        List<Class<?>> todo = new ArrayList<>();
        todo.add(KhardenCommand.class);
        todo.add(CommandLine.HelpCommand.class); // `kharden help`, in the tree of every full help
        Commands.ALL.values().forEach(s -> todo.add(s.get().getClass()));
        Commands.GROUPS.values().forEach(g -> g.values().forEach(s -> todo.add(s.get().getClass())));
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(0);
            if (seen.add(c)) {
                todo.addAll(Arrays.asList(c.getAnnotation(Command.class).subcommands()));
            }
        }
        return new ArrayList<>(seen);
    }

    /** The resource's bytes, checked against picocli's reflective model of every command. */
    static byte[] model() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeUTF(CliModel.MAGIC);
        List<Class<?>> classes = commandClasses();
        out.writeInt(classes.size());
        for (Class<?> c : classes) {
            byte[] one = command(c);
            out.writeUTF(c.getName());
            out.writeInt(one.length);
            out.write(one);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static Object instance(Class<?> c) {
        try {
            var k = c.getDeclaredConstructor();
            k.setAccessible(true);
            return k.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(c.getName() + " has no usable no-argument constructor", e);
        }
    }

    private static byte[] command(Class<?> c) throws IOException {
        Command cmd = c.getAnnotation(Command.class);
        if (cmd == null) {
            throw new IllegalStateException(c.getName() + " has no @Command");
        }
        if (cmd.addMethodSubcommands() && java.util.Arrays.stream(c.getDeclaredMethods()).anyMatch(m -> m.isAnnotationPresent(Command.class))) {
            throw new IllegalStateException(c.getName() + ": subcommands made of @Command methods are not supported by CliModel");
        }
        CommandSpec reflective = new CommandLine(instance(c)).getCommandSpec();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        attributes(out, cmd, COMMAND_IMPLIED, c.getName());
        List<String> specFields = new ArrayList<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                Spec s = f.getAnnotation(Spec.class);
                if (s != null) {
                    if (s.value() != Spec.Target.SELF) {
                        throw new IllegalStateException(c.getName() + "." + f.getName() + ": only @Spec(SELF) is supported by CliModel");
                    }
                    specFields.add(f.getName());
                }
                if (f.isAnnotationPresent(CommandLine.Mixin.class) || f.isAnnotationPresent(CommandLine.ArgGroup.class)
                        || f.isAnnotationPresent(CommandLine.ParentCommand.class) || f.isAnnotationPresent(CommandLine.Unmatched.class)) {
                    throw new IllegalStateException(c.getName() + "." + f.getName() + ": mixins, argument groups, "
                            + "@ParentCommand and @Unmatched are not supported by CliModel");
                }
            }
        }
        out.writeInt(specFields.size());
        for (String f : specFields) {
            out.writeUTF(f);
        }
        List<ArgSpec> args = reflective.args(); // in declaration order, which the help keeps when options are not sorted
        out.writeInt(args.size());
        for (ArgSpec a : args) {
            if (!(a.userObject() instanceof Field f)) {
                throw new IllegalStateException(c.getName() + ": " + a + " is not bound to a field; CliModel binds fields only");
            }
            boolean own = f.getDeclaringClass().isAssignableFrom(c);
            if (!own && a.type() != boolean.class) {
                throw new IllegalStateException(c.getName() + ": " + a + " comes from outside the command and is not a flag;"
                        + " CliModel binds only the help flags of mixinStandardHelpOptions that way");
            }
            Annotation ann = a.isOption() ? f.getAnnotation(Option.class) : f.getAnnotation(Parameters.class);
            if (a.isOption()) {
                out.writeByte(CliModel.OPTION);
                writeValue(out, ((OptionSpec) a).names());
            } else {
                out.writeByte(CliModel.POSITIONAL);
            }
            out.writeUTF(own ? f.getName() : "");
            out.writeUTF(a.type().getName());
            out.writeInt(a.auxiliaryTypes().length);
            for (Class<?> t : a.auxiliaryTypes()) {
                out.writeUTF(t.getName());
            }
            List<String> typeArguments = a.typeInfo().getActualGenericTypeArguments();
            out.writeInt(typeArguments.size());
            for (String t : typeArguments) {
                out.writeUTF(t);
            }
            // picocli names an unlabelled parameter after its field, as <field>
            String label = a.isOption() ? f.getAnnotation(Option.class).paramLabel() : f.getAnnotation(Parameters.class).paramLabel();
            out.writeUTF(label.isEmpty() ? "<" + f.getName() + ">" : label);
            out.writeBoolean(a.required()); // a positional parameter is required when its arity says so
            writeRange(out, a.arity());
            if (a instanceof CommandLine.Model.PositionalParamSpec p) {
                writeRange(out, p.index());
            }
            attributes(out, ann, ARG_DERIVED, c.getName() + "." + f.getName());
        }
        out.flush();
        byte[] model = bytes.toByteArray();
        check(c, reflective, model);
        return model;
    }

    private static void writeRange(DataOutputStream out, Range r) throws IOException {
        out.writeInt(r.min());
        out.writeInt(r.max());
        out.writeBoolean(r.isVariable());
        out.writeBoolean(r.isUnspecified());
        out.writeBoolean(r.originalValue() != null);
        if (r.originalValue() != null) {
            out.writeUTF(r.originalValue());
        }
    }

    /** Writes the attributes of {@code a} that differ from their defaults, except {@code skip}. */
    private static void attributes(DataOutputStream out, Annotation a, Set<String> skip, String where) throws IOException {
        Map<String, Object> set = new LinkedHashMap<>();
        Method[] methods = a.annotationType().getDeclaredMethods();
        Arrays.sort(methods, (x, y) -> x.getName().compareTo(y.getName()));
        for (Method m : methods) {
            if (skip.contains(m.getName()) || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Object v;
            try {
                v = m.invoke(a);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(where + ": cannot read " + m.getName(), e);
            }
            if (!Arrays.deepEquals(new Object[] {v}, new Object[] {m.getDefaultValue()})) {
                set.put(m.getName(), v);
            }
        }
        out.writeInt(set.size());
        for (var e : set.entrySet()) {
            out.writeUTF(e.getKey());
            writeValue(out, e.getValue());
        }
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        switch (v) {
            case String s -> {
                out.writeByte(CliModel.STRING);
                out.writeUTF(s);
            }
            case String[] a -> {
                out.writeByte(CliModel.STRINGS);
                out.writeInt(a.length);
                for (String s : a) {
                    out.writeUTF(s);
                }
            }
            case Boolean b -> {
                out.writeByte(CliModel.BOOLEAN);
                out.writeBoolean(b);
            }
            case Integer i -> {
                out.writeByte(CliModel.INT);
                out.writeInt(i);
            }
            case Character ch -> {
                out.writeByte(CliModel.CHAR);
                out.writeChar(ch);
            }
            case Enum<?> en -> {
                out.writeByte(CliModel.ENUM);
                out.writeUTF(en.getDeclaringClass().getName());
                out.writeUTF(en.name());
            }
            case Class<?> k -> {
                out.writeByte(CliModel.CLASS);
                out.writeUTF(k.getName());
            }
            case Class[] ks -> {
                out.writeByte(CliModel.CLASSES);
                out.writeInt(ks.length);
                for (Class<?> k : ks) {
                    out.writeUTF(k.getName());
                }
            }
            default -> throw new IllegalStateException("CliModel cannot store a " + v.getClass().getName());
        }
    }

    /** Reads {@code model} back and fails unless it describes {@code c} exactly as reflection does. */
    private static void check(Class<?> c, CommandSpec reflective, byte[] model) {
        CommandSpec built;
        Object command = instance(c);
        try {
            built = CliModel.read(command, model);
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    f.setAccessible(true);
                    if (f.isAnnotationPresent(Spec.class) && f.get(command) != built) {
                        throw new IllegalStateException("@Spec field " + f.getName() + " does not hold the model");
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(c.getName() + ": CliModel cannot read its own model: " + e, e);
        }
        String want = describe(new CommandLine(reflective));
        String got = describe(new CommandLine(built));
        if (!want.equals(got)) {
            throw new IllegalStateException(c.getName() + ": the built model differs from picocli's reflective model:\n"
                    + firstDifference(want, got));
        }
    }

    /** The lines where two descriptions differ (at most ten). */
    static String firstDifference(String want, String got) {
        String[] w = want.split("\n", -1);
        String[] g = got.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.max(w.length, g.length) && shown < 10; i++) {
            String a = i < w.length ? w[i] : "<end>";
            String b = i < g.length ? g[i] : "<end>";
            if (!a.equals(b)) {
                sb.append("line ").append(i + 1).append("\n  reflective: ").append(a).append("\n  built:      ").append(b).append('\n');
                shown++;
            }
        }
        return sb.isEmpty() ? "(none)" : sb.toString();
    }

    /**
     * Properties that differ by construction: bindings, the record of how the help options came,
     * of which fields took the spec (check() tests those fields themselves), the version
     * provider, made only when asked (describe() compares the version it gives), and whether
     * picocli was to look for @Command methods: read only while a reflective model is made, and
     * left by picocli's reflection sometimes true, sometimes false, for the same command.
     */
    private static final Set<String> NOT_COMPARED = Set.of("userObject", "getter", "setter", "scope", "command",
            "commandLine", "group", "toString", "hashCode", "getClass", "root", "parent", "argSpec", "typedValues",
            "originalStringValues", "stringValues", "rawStringValues", "originalDefaultValue", "originalMapFallbackValue",
            "mixins", "mixinAnnotatedElements", "mixinStandardHelpOptions", "annotatedElement", "specElements",
            "versionProvider", "isAddMethodSubcommands");

    /**
     * A canonical text of a command's model: every public property of the command, its usage
     * message and each argument, then the help text itself (fixed width, no colour).
     */
    static String describe(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        StringBuilder sb = new StringBuilder();
        properties(sb, "command", spec, CommandSpec.class);
        properties(sb, "usage", spec.usageMessage(), CommandLine.Model.UsageMessageSpec.class);
        properties(sb, "parser", spec.parser(), CommandLine.Model.ParserSpec.class);
        try {
            sb.append("version provided: ").append(spec.versionProvider() == null ? "none"
                    : Arrays.toString(spec.versionProvider().getVersion())).append('\n');
        } catch (Exception e) {
            sb.append("version provider fails: ").append(e).append('\n');
        }
        for (ArgSpec a : spec.args()) {
            properties(sb, a.isOption() ? "option " + ((OptionSpec) a).longestName() : "positional " + a.paramLabel(), a, a.getClass());
        }
        spec.usageMessage().width(100);
        spec.usageMessage().autoWidth(false);
        sb.append("help:\n").append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF));
        cli.getSubcommands().values().forEach(s -> sb.append("subcommand ").append(s.getCommandName()).append('\n'));
        return sb.toString();
    }

    private static void properties(StringBuilder sb, String what, Object o, Class<?> type) {
        Set<String> lines = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0 || m.getReturnType() == void.class || Modifier.isStatic(m.getModifiers())
                    || NOT_COMPARED.contains(m.getName()) || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                lines.add(what + "." + m.getName() + " = " + text(m.invoke(o)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                lines.add(what + "." + m.getName() + " ! " + e.getClass().getSimpleName());
            }
        }
        lines.forEach(l -> sb.append(l).append('\n'));
    }

    private static String text(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> '"' + s + '"';
            case Number n -> n.toString();
            case Boolean b -> b.toString();
            case Character ch -> "'" + ch + "'";
            case Enum<?> e -> e.name();
            case Class<?> k -> k.getName();
            case Range r -> r + (r.isUnspecified() ? " unspecified" : "") + " original=" + r.originalValue();
            case Object[] a -> {
                List<String> l = new ArrayList<>();
                for (Object x : a) {
                    l.add(text(x));
                }
                yield l.toString();
            }
            case Map<?, ?> m -> {
                List<String> l = new ArrayList<>();
                m.forEach((k, x) -> l.add(text(k) + ":" + text(x)));
                yield l.toString();
            }
            case Collection<?> c -> {
                List<String> l = new ArrayList<>();
                for (Object x : c) {
                    l.add(x instanceof ArgSpec || x instanceof CommandLine ? x.getClass().getSimpleName() : text(x));
                }
                yield l.toString();
            }
            case ITypeInfo t -> "type " + t.getClassName() + " aux " + t.getAuxiliaryTypeInfos().stream().map(ITypeInfo::getClassName).toList()
                    + " generic " + t.getActualGenericTypeArguments() + " multi " + t.isMultiValue() + " enum " + t.isEnum() + " candidates " + t.getEnumConstantNames();
            default -> v.getClass().getName().startsWith("picocli.") || v.getClass().getName().startsWith("dev.kharden.")
                    ? v.getClass().getName() : v.toString();
        };
    }
}
