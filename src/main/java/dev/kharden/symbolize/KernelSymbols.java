package dev.kharden.symbolize;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The {@link SymbolSource} over one {@link SymbolTable} (kallsyms, or a System.map shifted by the
 * KASLR offset) and the module layout from /proc/modules and module sections. Lookups are a binary
 * search; nothing is precomputed beyond the sorted table.
 */
public final class KernelSymbols implements SymbolSource {
    private final SymbolTable table;
    private final long shift;
    private final ModuleList modules;
    private final KaslrOffset offset;

    /**
     * @param table   the symbols
     * @param shift   added to table addresses to get runtime addresses (0 for kallsyms, the KASLR
     *                offset for a System.map)
     * @param modules where modules sit (may be empty)
     * @param offset  the KASLR offset and its origin, for reports
     */
    public KernelSymbols(SymbolTable table, long shift, ModuleList modules, KaslrOffset offset) {
        this.table = table;
        this.shift = shift;
        this.modules = modules;
        this.offset = offset;
    }

    public SymbolTable table() {
        return table;
    }

    public ModuleList modules() {
        return modules;
    }

    @Override
    public Resolution resolve(long address) {
        ModuleList.Module m = modules.containing(address);
        long q = address - shift;
        int i = table.floor(q);
        if (i >= 0) {
            Resolution r = at(i, q);
            if (r != null && (m == null || m.name().equals(r.module()))) {
                return r;
            }
        }
        return m == null ? null : moduleOnly(m, address);
    }

    private Resolution at(int i, long q) {
        int pick = -1;
        for (int k = table.preferred(i); k <= i; k++) {
            if (table.isText(k)) {
                pick = k;
                break;
            }
        }
        if (pick < 0 || table.isEndMarker(pick)) {
            return null;
        }
        long start = table.address(pick);
        long end = end(i, table.module(pick));
        if (end == -1 || Long.compareUnsigned(q - start, end - start) >= 0) {
            return null;
        }
        return new Resolution(table.name(pick), q - start, end - start, table.module(pick), null, start + shift);
    }

    /** End (table address) of the symbol at {@code i}, or -1 when unknown. */
    private long end(int i, String module) {
        OptionalLong end = table.end(i);
        if (end.isPresent()) {
            return end.getAsLong();
        }
        ModuleList.Module m = module == null ? null : modules.named(module);
        return m == null || m.size() == 0 ? -1 : m.base() + m.size() - shift;
    }

    private static Resolution moduleOnly(ModuleList.Module m, long address) {
        String best = null;
        long bestStart = 0;
        for (Map.Entry<String, Long> s : m.sections().entrySet()) {
            long start = s.getValue();
            if (Long.compareUnsigned(start, address) <= 0
                    && (best == null || Long.compareUnsigned(start, bestStart) > 0)) {
                best = s.getKey();
                bestStart = start;
            }
        }
        return best == null
                ? new Resolution(null, address - m.base(), -1, m.name(), null, m.base())
                : new Resolution(null, address - bestStart, -1, m.name(), best, bestStart);
    }

    @Override
    public Map<String, List<SymbolRange>> named(Set<String> names) {
        Map<String, List<SymbolRange>> out = new HashMap<>();
        table.indicesOf(names).forEach((name, idx) -> {
            List<SymbolRange> ranges = new ArrayList<>();
            for (int i : idx) {
                int last = i;
                while (last + 1 < table.size() && table.address(last + 1) == table.address(i)) {
                    last++;
                }
                long end = end(last, table.module(i));
                long start = table.address(i);
                ranges.add(new SymbolRange(name, start + shift, end == -1 ? -1 : end - start, table.module(i)));
            }
            out.put(name, List.copyOf(ranges));
        });
        return out;
    }

    @Override
    public boolean covers(String module) {
        return table.hasOwner(module);
    }

    @Override
    public KaslrOffset kaslrOffset() {
        return offset;
    }

    @Override
    public String description() {
        StringBuilder sb = new StringBuilder();
        sb.append(table.format().label()).append(' ').append(table.source())
                .append(" (").append(table.size()).append(" symbols)");
        if (!modules.isEmpty()) {
            sb.append(", ").append(modules.modules().size()).append(" modules placed");
        }
        return sb.toString();
    }
}
