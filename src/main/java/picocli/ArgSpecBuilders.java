package picocli;

import java.util.List;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Range;
import picocli.CommandLine.ScopeType;

/**
 * Reaches the attributes that picocli's option and positional-parameter builders share: their
 * common base class, {@code ArgSpec.Builder}, is package-private. kharden compiles picocli's source
 * into its own jar, so this class shares picocli's package; it is used by dev.kharden.cli.CliModel
 * only.
 */
public final class ArgSpecBuilders {
    private ArgSpecBuilders() {
    }

    /**
     * Sets the type information (as picocli derives it from a field: with the generic type's
     * arguments), parameter label, whether it is required, and arity of an option or positional-parameter builder.
     */
    public static void typed(Object builder, Class<?> type, Class<?>[] auxiliaryTypes, List<String> typeArguments,
            String paramLabel, boolean required, Range arity) {
        ArgSpec.Builder<?> b = (ArgSpec.Builder<?>) builder;
        // prompt and descriptionKey: "" is the annotation's default, where the builder's is null
        b.type(type).auxiliaryTypes(auxiliaryTypes).paramLabel(paramLabel).required(required).arity(arity).prompt("").descriptionKey("");
        b.typeInfo(CommandLine.Model.RuntimeTypeInfo.create(type, auxiliaryTypes, typeArguments, arity,
                b instanceof CommandLine.Model.OptionSpec.Builder ? boolean.class : String.class, false));
    }

    /**
     * Binds an option or positional-parameter builder to {@code binding}, or, when it is null, to
     * the value holder picocli gives every builder; either way starting from {@code initialValue}.
     */
    public static <B extends CommandLine.Model.IGetter & CommandLine.Model.ISetter> void bound(Object builder, B binding,
            Object initialValue) throws Exception {
        ArgSpec.Builder<?> b = (ArgSpec.Builder<?>) builder;
        if (binding != null) {
            b.getter(binding).setter(binding);
        } else {
            b.setter().set(initialValue); // a field holds its initial value from the start; so does the holder
        }
        b.initialValue(initialValue).hasInitialValue(true);
    }

    /**
     * Sets the annotation attribute {@code name} shared by options and positional parameters;
     * false when it is not one of those.
     */
    public static boolean set(Object builder, String name, Object v) {
        ArgSpec.Builder<?> b = (ArgSpec.Builder<?>) builder;
        switch (name) {
            case "hideParamSyntax" -> b.hideParamSyntax((Boolean) v);
            case "description" -> b.description((String[]) v);
            case "descriptionKey" -> b.descriptionKey((String) v);
            case "hidden" -> b.hidden((Boolean) v);
            case "defaultValue" -> b.defaultValue((String) v);
            case "showDefaultValue" -> b.showDefaultValue((Help.Visibility) v);
            case "split" -> b.splitRegex((String) v);
            case "splitSynopsisLabel" -> b.splitRegexSynopsisLabel((String) v);
            case "scope" -> b.scopeType((ScopeType) v);
            default -> {
                return false;
            }
        }
        return true;
    }
}
