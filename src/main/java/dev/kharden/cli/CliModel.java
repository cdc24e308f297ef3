package dev.kharden.cli;

import dev.kharden.files.Embedded;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import picocli.ArgSpecBuilders;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Range;

/**
 * kharden's commands as picocli models, built from a model the build writes from the commands' own
 * annotations ({@link CliModelWriter}) into the class {@value #DATA_CLASS}. picocli reads annotations through the JDK,
 * which makes a proxy class for each annotation type at run time: about 40 ms of a 130 ms audit went
 * into generating the seven proxy classes and parsing the annotations, and no start-up cache can hold
 * them. Here the same model is made with picocli's programmatic API: the same options, the same
 * help, bound to the same fields, with no annotation read.
 *
 * <p>A command the model does not describe (a class added after the build, a test's own command)
 * gets picocli's reflective model, as before. CliModelTest checks, for every command, that the two
 * models agree in every property and in their help text.
 */
final class CliModel {
    /** The class the build writes the model into (see {@link Embedded}). */
    static final String DATA_CLASS = "dev.kharden.cli.CliModelData";
    static final String MAGIC = "kharden-cli-model/1";

    /** Value tags of the attribute table. */
    static final byte STRING = 'S';
    static final byte STRINGS = 'A';
    static final byte BOOLEAN = 'Z';
    static final byte INT = 'I';
    static final byte CHAR = 'C';
    static final byte ENUM = 'E';
    static final byte CLASS = 'K';
    static final byte CLASSES = 'L';

    static final byte OPTION = 'O';
    static final byte POSITIONAL = 'P';

    private static final class Holder {
        static final Map<String, byte[]> COMMANDS = load();
    }

    private CliModel() {
    }

    /** A command line for {@code command}: from the built model when it describes the class, else by reflection. */
    static CommandLine commandLine(Object command) {
        CommandSpec spec = spec(command);
        return new CommandLine(spec != null ? spec : command);
    }

    /** The model of {@code command}, or null when the built model does not describe its class. */
    static CommandSpec spec(Object command) {
        byte[] model = Holder.COMMANDS.get(command.getClass().getName());
        if (model == null) {
            return null;
        }
        try {
            return read(command, model);
        } catch (Exception e) {
            // a model out of step with the classes: the reflective model is always right
            return null;
        }
    }

    /** Whether the built model describes the class of {@code command} (for tests). */
    static boolean describes(Class<?> command) {
        return Holder.COMMANDS.containsKey(command.getName());
    }

    private static Map<String, byte[]> load() {
        byte[] model = Embedded.bytes(DATA_CLASS);
        return model == null ? Map.of() : read(model); // no model built (an IDE's compile): every command by reflection
    }

    /** The commands' models, by class name, from the model's bytes; empty when they are not a model of this version. */
    static Map<String, byte[]> read(byte[] bytes) {
        Map<String, byte[]> out = new HashMap<>();
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            if (!in.readUTF().equals(MAGIC)) {
                return out;
            }
            for (int n = in.readInt(); n > 0; n--) {
                String name = in.readUTF();
                byte[] model = new byte[in.readInt()];
                in.readFully(model);
                out.put(name, model);
            }
        } catch (IOException e) {
            out.clear(); // an unreadable model: every command is modelled by reflection
        }
        return out;
    }

    /** Builds the model of {@code command} from its entry in the built model. */
    static CommandSpec read(Object command, byte[] model) throws Exception {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(model));
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        UsageMessageSpec usage = spec.usageMessage();
        Class<?>[] subcommands = {};
        for (int n = in.readInt(); n > 0; n--) {
            String name = in.readUTF();
            Object v = value(in);
            switch (name) {
                case "name" -> spec.name((String) v);
                case "aliases" -> spec.aliases((String[]) v);
                case "version" -> spec.version((String[]) v);
                case "versionProvider" -> {
                    Class<?> provider = (Class<?>) v; // made when a version is asked for, not at every start
                    spec.versionProvider(() -> ((CommandLine.IVersionProvider) CommandLine.defaultFactory().create(provider)).getVersion());
                }
                case "helpCommand" -> spec.helpCommand((Boolean) v);
                case "subcommands" -> subcommands = (Class<?>[]) v;
                case "header" -> usage.header((String[]) v);
                case "headerHeading" -> usage.headerHeading((String) v);
                case "description" -> usage.description((String[]) v);
                case "descriptionHeading" -> usage.descriptionHeading((String) v);
                case "footer" -> usage.footer((String[]) v);
                case "footerHeading" -> usage.footerHeading((String) v);
                case "synopsisHeading" -> usage.synopsisHeading((String) v);
                case "customSynopsis" -> usage.customSynopsis((String[]) v);
                case "abbreviateSynopsis" -> usage.abbreviateSynopsis((Boolean) v);
                case "sortOptions" -> usage.sortOptions((Boolean) v);
                case "sortSynopsis" -> usage.sortSynopsis((Boolean) v);
                case "showDefaultValues" -> usage.showDefaultValues((Boolean) v);
                case "parameterListHeading" -> usage.parameterListHeading((String) v);
                case "optionListHeading" -> usage.optionListHeading((String) v);
                case "commandListHeading" -> usage.commandListHeading((String) v);
                case "requiredOptionMarker" -> usage.requiredOptionMarker((Character) v);
                case "hidden" -> usage.hidden((Boolean) v);
                default -> throw new IOException("unknown command attribute " + name);
            }
        }
        for (int n = in.readInt(); n > 0; n--) {
            new FieldBinding(command, field(command.getClass(), in.readUTF())).set(spec);
        }
        for (int n = in.readInt(); n > 0; n--) {
            byte kind = in.readByte();
            if (kind == OPTION) {
                spec.addOption(arg(command, OptionSpec.builder((String[]) value(in)), in).build());
            } else {
                spec.addPositional(arg(command, PositionalParamSpec.builder(), in).build());
            }
        }
        for (Class<?> sub : subcommands) {
            CommandLine c = commandLine(CommandLine.defaultFactory().create(sub));
            spec.addSubcommand(c.getCommandName(), c);
        }
        return spec;
    }

    /** Reads one option or positional parameter into {@code b}: binding, type, arity, then its attributes. */
    private static <B> B arg(Object command, B b, DataInputStream in) throws Exception {
        String field = in.readUTF();
        Class<?> type = type(in.readUTF());
        Class<?>[] aux = new Class<?>[in.readInt()];
        for (int i = 0; i < aux.length; i++) {
            aux[i] = type(in.readUTF());
        }
        String[] typeArguments = new String[in.readInt()];
        for (int i = 0; i < typeArguments.length; i++) {
            typeArguments[i] = in.readUTF();
        }
        ArgSpecBuilders.typed(b, type, aux, java.util.List.of(typeArguments), in.readUTF(), in.readBoolean(), range(in));
        if (b instanceof PositionalParamSpec.Builder p) {
            p.index(range(in));
        }
        if (!field.isEmpty()) {
            FieldBinding binding = new FieldBinding(command, field(command.getClass(), field));
            ArgSpecBuilders.bound(b, binding, binding.get());
        } else {
            // a flag of mixinStandardHelpOptions (--help, --version): it lives in picocli's own
            // holder, starting false as the mixin's field does
            ArgSpecBuilders.bound(b, null, false);
        }
        for (int n = in.readInt(); n > 0; n--) {
            String name = in.readUTF();
            Object v = value(in);
            if (ArgSpecBuilders.set(b, name, v)) {
                continue;
            }
            if (!(b instanceof OptionSpec.Builder o)) {
                throw new IOException("unknown positional parameter attribute " + name);
            }
            switch (name) {
                case "fallbackValue" -> o.fallbackValue((String) v);
                case "negatable" -> o.negatable((Boolean) v);
                case "order" -> o.order((Integer) v);
                case "usageHelp" -> o.usageHelp((Boolean) v);
                case "versionHelp" -> o.versionHelp((Boolean) v);
                case "help" -> o.help((Boolean) v);
                default -> throw new IOException("unknown option attribute " + name);
            }
        }
        return b;
    }

    private static Range range(DataInputStream in) throws IOException {
        int min = in.readInt();
        int max = in.readInt();
        boolean variable = in.readBoolean();
        boolean unspecified = in.readBoolean();
        String original = in.readBoolean() ? in.readUTF() : null;
        return new Range(min, max, variable, unspecified, original);
    }

    /** The field {@code name} of {@code type} or of a superclass. */
    static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredField(name);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    private static Object value(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case STRING -> in.readUTF();
            case STRINGS -> {
                String[] a = new String[in.readInt()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = in.readUTF();
                }
                yield a;
            }
            case BOOLEAN -> in.readBoolean();
            case INT -> in.readInt();
            case CHAR -> in.readChar();
            case ENUM -> enumValue(type(in.readUTF()), in.readUTF());
            case CLASS -> type(in.readUTF());
            case CLASSES -> {
                Class<?>[] a = new Class<?>[in.readInt()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = type(in.readUTF());
                }
                yield a;
            }
            default -> throw new IOException("unknown value tag " + tag);
        };
    }

    private static final Map<String, Class<?>> PRIMITIVES = Map.of("boolean", boolean.class, "int", int.class,
            "long", long.class, "double", double.class, "float", float.class, "short", short.class, "byte", byte.class,
            "char", char.class);

    private static Class<?> type(String name) throws IOException {
        Class<?> primitive = PRIMITIVES.get(name);
        if (primitive != null) {
            return primitive;
        }
        try {
            return Class.forName(name, false, CliModel.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IOException("no class " + name, e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    /**
     * An option or parameter bound to a field of the command object, through a VarHandle: a
     * {@link Field}'s get and set would make the JDK generate a method-handle adapter for each field
     * type at run time (about 10 ms at start), where a VarHandle called with the field's own erased
     * type links to code the JDK ships.
     */
    private static final class FieldBinding implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        private final Object target;
        private final VarHandle handle;
        private final Class<?> type;

        FieldBinding(Object target, Field field) throws IllegalAccessException {
            this.target = target;
            this.handle = MethodHandles.privateLookupIn(field.getDeclaringClass(), MethodHandles.lookup()).unreflectVarHandle(field);
            this.type = field.getType();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            Object v;
            if (type == boolean.class) {
                v = (boolean) handle.get(target);
            } else if (type == int.class) {
                v = (int) handle.get(target);
            } else if (type == long.class) {
                v = (long) handle.get(target);
            } else if (type.isPrimitive()) {
                throw new IllegalStateException("CliModel binds no " + type + " field");
            } else {
                v = (Object) handle.get(target);
            }
            return (T) v;
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            if (type == boolean.class) {
                handle.set(target, (boolean) (Boolean) value);
            } else if (type == int.class) {
                handle.set(target, (int) (Integer) value);
            } else if (type == long.class) {
                handle.set(target, (long) (Long) value);
            } else if (type.isPrimitive()) {
                throw new IllegalStateException("CliModel binds no " + type + " field");
            } else {
                handle.set(target, (Object) value);
            }
            return old;
        }
    }
}
