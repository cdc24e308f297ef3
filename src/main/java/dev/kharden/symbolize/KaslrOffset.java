package dev.kharden.symbolize;

/**
 * The KASLR offset (runtime address minus link-time address of the core kernel) and where it came
 * from. It is the one secret an oops can leak; the symbolizer needs it only to shift a System.map,
 * and says how it was obtained so support can judge the result.
 *
 * @param value  the offset (0 when not relocated, or when not needed)
 * @param origin how it was found
 * @param detail a short explanation for people (which symbol, how many frames agreed)
 */
public record KaslrOffset(long value, Origin origin, String detail) {

    /** How the offset was found, from most to least trustworthy. */
    public enum Origin {
        /** Given on the command line ({@code --kaslr-offset}). */
        OPTION("given with --kaslr-offset"),
        /** {@code _text} (or {@code _stext}) in kallsyms minus the same symbol in System.map. */
        KALLSYMS_VS_SYSTEM_MAP("kallsyms against System.map"),
        /** The oops's own {@code Kernel Offset:} line. */
        KERNEL_OFFSET_LINE("the log's Kernel Offset: line"),
        /** Raw frame addresses against the System.map address of the function the log names. */
        FRAMES("raw frame addresses against System.map"),
        /** The symbols are runtime addresses already (kallsyms): no shift needed. */
        RUNTIME_SYMBOLS("not needed: kallsyms holds runtime addresses"),
        /** Nothing told: assumed not relocated (nokaslr); raw addresses may then not resolve. */
        ASSUMED_ZERO("unknown: assumed 0 (kernel not relocated)");

        private final String text;

        Origin(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code 0x1a000000 (kallsyms against System.map: _text)}. */
    public String describe() {
        String v = "0x" + Long.toHexString(value);
        return switch (origin) {
            case RUNTIME_SYMBOLS -> origin.text();
            case ASSUMED_ZERO -> origin.text();
            default -> v + " (" + origin.text() + (detail == null || detail.isEmpty() ? "" : ": " + detail) + ")";
        };
    }
}
