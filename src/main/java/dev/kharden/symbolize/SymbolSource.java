package dev.kharden.symbolize;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the symbolizer asks of the symbols of one running kernel, whatever they came from (a
 * kallsyms copy, a System.map plus the KASLR offset, a sealed bundle's kallsyms, /proc/modules and
 * module sections). All addresses here are runtime addresses, as the oops printed them.
 */
public interface SymbolSource {

    /** The code location containing {@code address}, or null when it is not in known kernel or module text. */
    Resolution resolve(long address);

    /** Every symbol with one of {@code names}, as runtime ranges, keyed by name (absent names are missing). */
    Map<String, List<SymbolRange>> named(Set<String> names);

    /** Whether this source knows the symbols of {@code module} (null: the core kernel). */
    boolean covers(String module);

    /** The KASLR offset in effect and how it was found. */
    KaslrOffset kaslrOffset();

    /** One line for people: which symbols, how many, from where. */
    String description();

    /**
     * A resolved address: {@code function+0xoffset/0xsize [module]}. When only the module is known
     * (no module symbols), {@code function} is null and {@code section}/{@code offset} locate the
     * address in the module ({@code [zfs] .text+0x1a2b}, or the module base when no sections are known).
     *
     * @param function    symbol name, or null when only the module is known
     * @param offset      distance from the symbol (or section/module base)
     * @param size        the symbol's size (distance to the next symbol), or -1 when unknown
     * @param module      module name, or null for the core kernel
     * @param section     for module-only results, the section name, or null for the module base
     * @param start       runtime address of the symbol (or section/module base)
     */
    record Resolution(String function, long offset, long size, String module, String section, long start) {

        /** The kernel's {@code %pB} notation: {@code func+0x1a/0x40 [mod]}; {@code [mod] .text+0x1a2b} without symbols. */
        public String symbolized() {
            StringBuilder sb = new StringBuilder();
            if (function == null) {
                sb.append('[').append(module).append(']');
                sb.append(section == null ? "+0x" : " " + section + "+0x").append(Long.toHexString(offset));
                return sb.toString();
            }
            sb.append(function).append("+0x").append(Long.toHexString(offset));
            if (size >= 0) {
                sb.append("/0x").append(Long.toHexString(size));
            }
            if (module != null) {
                sb.append(" [").append(module).append(']');
            }
            return sb.toString();
        }
    }

    /** One named symbol's runtime range; {@code size} is -1 when its end is unknown. */
    record SymbolRange(String name, long start, long size, String module) {
    }
}
