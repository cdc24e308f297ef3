package dev.kharden.catalog;

/**
 * A reference to one kernel setting: {@code CONFIG_X} (kconfig), {@code cmdline:NAME},
 * {@code sysctl:KEY} or {@code runtime:KEY}. {@link #name()} is spelled as the kernel spells it.
 */
public record Ref(OptionType type, String name) {
    /** Parses the catalogue spelling; throws IllegalArgumentException on anything else. */
    public static Ref parse(String text) {
        if (text.startsWith("CONFIG_") && text.length() > 7) {
            return new Ref(OptionType.KCONFIG, text);
        }
        int colon = text.indexOf(':');
        if (colon > 0 && colon < text.length() - 1) {
            OptionType t = OptionType.parse(text.substring(0, colon));
            if (t != OptionType.KCONFIG) {
                return new Ref(t, text.substring(colon + 1));
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an option reference "
                + "(CONFIG_NAME, cmdline:NAME, sysctl:KEY or runtime:KEY)");
    }

    @Override
    public String toString() {
        return type == OptionType.KCONFIG ? name : type.id() + ":" + name;
    }
}
