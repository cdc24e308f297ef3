package dev.kharden.symbolize;

import dev.kharden.input.InputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A kernel symbol table read from {@code /proc/kallsyms} (runtime addresses, module symbols tagged
 * {@code [module]}) or a {@code System.map} (link-time addresses, core kernel only), held as sorted
 * parallel arrays for binary search. Names stay as byte ranges of the input until asked for, so a
 * 200,000-symbol table is read in one pass without a string per line.
 *
 * <p>Sizes follow the kernel's {@code kallsyms_lookup_size_offset}: a symbol ends where the next
 * symbol with a higher address (of the same owner: core kernel or one module) begins. Among aliases
 * (several names at one address) the first in kallsyms order is the one the kernel prints; for a
 * System.map the kernel's order is rebuilt ({@code scripts/kallsyms.c compare_symbols}: non-weak
 * first, then not linker-script-provided, then fewer leading underscores).
 */
public final class SymbolTable {
    /** Which file the table came from: it decides whether addresses are runtime or link-time. */
    public enum Format {
        /** /proc/kallsyms: runtime (KASLR-shifted) addresses, optional {@code [module]} column. */
        KALLSYMS("kallsyms"),
        /** System.map: link-time addresses, core kernel only. */
        SYSTEM_MAP("System.map");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Far above any real kernel (~250,000 symbols with modules): stops runaway inputs. */
    static final int MAX_SYMBOLS = 20_000_000;
    /** A kallsyms with every module is ~20 MiB; this bounds memory for a wrong file. */
    static final int MAX_BYTES = 512 << 20;
    /** KSYM_NAME_LEN is 512 since 6.1. */
    private static final int MAX_NAME = 512;
    /** Hex digit values by byte, -1 for non-digits. */
    private static final byte[] HEX = new byte[256];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
        }
    }

    private final String source;
    private final Format format;
    private final byte[] text;
    private final long[] addr;
    private final int[] nameAt;
    private final short[] nameLen;
    /** {@link String#hashCode} of each name (names are Latin-1), computed while reading. */
    private final int[] nameHash;
    private final byte[] type;
    private final int[] owner;
    private final String[] owners;

    private SymbolTable(String source, Format format, byte[] text, long[] addr, int[] nameAt, short[] nameLen,
            int[] nameHash, byte[] type, int[] owner, String[] owners) {
        this.source = source;
        this.format = format;
        this.text = text;
        this.addr = addr;
        this.nameAt = nameAt;
        this.nameLen = nameLen;
        this.nameHash = nameHash;
        this.type = type;
        this.owner = owner;
        this.owners = owners;
    }

    /**
     * Reads {@code data} (the whole file) as {@code format}. Throws {@link InputException} for a line
     * that is not {@code ADDRESS TYPE NAME [\t[module]]}, for an empty table, and for a table whose
     * addresses are all zero (kallsyms read without the right to see them).
     */
    public static SymbolTable read(String source, byte[] data, Format format) {
        return new Reader(source, data, format).read();
    }

    /**
     * Reads the file at {@code path} (gzip is undone transparently); missing, unreadable or
     * oversized files become an {@link InputException} naming it.
     */
    public static SymbolTable read(java.nio.file.Path path, Format format) {
        String name = path.toString();
        byte[] data;
        try {
            if (java.nio.file.Files.isDirectory(path)) {
                throw InputException.ofFile(name, "is a directory, expected a " + format.label() + " file");
            }
            try {
                data = dev.kharden.files.BoundedRead.readAllBytes(path, MAX_BYTES);
            } catch (dev.kharden.files.BoundedRead.TooLarge e) {
                throw InputException.ofFile(name, "is larger than " + (MAX_BYTES >> 20) + " MiB");
            }
            if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
                try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
                    data = in.readNBytes(MAX_BYTES + 1);
                }
                if (data.length > MAX_BYTES) {
                    throw InputException.ofFile(name, "decompresses to more than " + (MAX_BYTES >> 20) + " MiB");
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw InputException.ofFile(name, "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw InputException.ofFile(name, "permission denied");
        } catch (java.io.IOException e) {
            throw InputException.ofFile(name, "cannot read: " + e.getMessage());
        }
        return read(name, data, format);
    }

    public String source() {
        return source;
    }

    public Format format() {
        return format;
    }

    /** Number of symbols kept (undefined, absolute and mapping symbols are dropped). */
    public int size() {
        return addr.length;
    }

    public long address(int i) {
        return addr[i];
    }

    public String name(int i) {
        return new String(text, nameAt[i], nameLen[i], StandardCharsets.ISO_8859_1);
    }

    public char type(int i) {
        return (char) type[i];
    }

    /** The module a symbol belongs to, or null for the core kernel. */
    public String module(int i) {
        return owners[owner[i]];
    }

    /** Whether the symbol is code: {@code t}/{@code T} or a weak {@code w}/{@code W} function. */
    public boolean isText(int i) {
        byte t = type[i];
        return t == 't' || t == 'T' || t == 'w' || t == 'W';
    }

    /** Whether any symbol of {@code module} (null: the core kernel) is in the table. */
    public boolean hasOwner(String module) {
        if (module == null) {
            for (int o : owner) {
                if (o == 0) {
                    return true;
                }
            }
            return false;
        }
        for (int k = 1; k < owners.length; k++) {
            if (owners[k].equals(module)) {
                return true;
            }
        }
        return false;
    }

    /** Index of the last symbol whose address is at or below {@code address} (unsigned), or -1. */
    public int floor(long address) {
        int lo = 0, hi = addr.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addr[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The symbol the kernel prints for the alias group containing {@code i}: the group's first. */
    public int preferred(int i) {
        int g = i;
        while (g > 0 && addr[g - 1] == addr[i]) {
            g--;
        }
        return g;
    }

    /**
     * Where the symbol at {@code i} ends: the next higher address of the same owner, or empty when
     * it is the owner's last symbol (the caller may know the module's end from /proc/modules).
     */
    public OptionalLong end(int i) {
        for (int j = i + 1; j < addr.length; j++) {
            if (owner[j] != owner[i]) {
                return OptionalLong.empty();
            }
            if (addr[j] != addr[i]) {
                return OptionalLong.of(addr[j]);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Whether the symbol marks the end of a region ({@code _etext}, {@code __end_rodata},
     * {@code __stop___ex_table}): addresses at or past it are not inside a function.
     */
    public boolean isEndMarker(int i) {
        String n = name(i);
        return switch (n) {
            case "_etext", "_einittext", "_end", "_edata", "__bss_stop", "__init_end" -> true;
            default -> n.startsWith("__end_") || n.startsWith("__stop_")
                    || (n.startsWith("__") && n.endsWith("_end") && n.length() >= 8);
        };
    }

    /** The address of the first core-kernel symbol called {@code name}. */
    public OptionalLong coreAddress(String name) {
        byte[] want = name.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < addr.length; i++) {
            if (owner[i] == 0 && nameEquals(i, want)) {
                return OptionalLong.of(addr[i]);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The indices of every symbol named in {@code names}, in one pass over the name hashes; only
     * hash hits become strings.
     */
    public Map<String, int[]> indicesOf(Set<String> names) {
        Map<String, List<Integer>> hits = new HashMap<>();
        if (names.isEmpty()) {
            return Map.of();
        }
        int[] hashes = names.stream().mapToInt(String::hashCode).sorted().distinct().toArray();
        for (int i = 0; i < addr.length; i++) {
            if (Arrays.binarySearch(hashes, nameHash[i]) >= 0) {
                String n = name(i);
                if (names.contains(n)) {
                    hits.computeIfAbsent(n, x -> new ArrayList<>()).add(i);
                }
            }
        }
        Map<String, int[]> out = new HashMap<>();
        hits.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    private boolean nameEquals(int i, byte[] want) {
        return nameLen[i] == want.length
                && Arrays.equals(text, nameAt[i], nameAt[i] + nameLen[i], want, 0, want.length);
    }

    /** The one-pass reader. */
    private static final class Reader {
        private final String source;
        private final byte[] data;
        private final Format format;
        private long[] addr;
        private int[] nameAt;
        private short[] nameLen;
        private int[] nameHash;
        private byte[] type;
        private int[] owner;
        private boolean nonZero;
        private final List<String> owners = new ArrayList<>();
        private final Map<String, Integer> ownerIndex = new HashMap<>();
        private int n;
        private int lastOwnerAt = -1, lastOwnerLen = -1, lastOwner;

        Reader(String source, byte[] data, Format format) {
            this.source = source;
            this.data = data;
            this.format = format;
            int guess = Math.max(16, data.length / 32);
            addr = new long[guess];
            nameAt = new int[guess];
            nameLen = new short[guess];
            nameHash = new int[guess];
            type = new byte[guess];
            owner = new int[guess];
            owners.add(null);
        }

        SymbolTable read() {
            int p = 0, line = 0;
            while (p < data.length) {
                line++;
                p = parseLine(p, line);
            }
            if (n == 0) {
                throw InputException.ofFile(source, "has no symbols; expected " + format.label()
                        + " lines 'ADDRESS TYPE NAME'");
            }
            if (!nonZero) {
                throw InputException.ofFile(source, "every address is zero: the " + format.label()
                        + " was read without the right to see addresses (kernel.kptr_restrict=2, or"
                        + " kptr_restrict=1 without CAP_SYSLOG); read it as root with kptr_restrict at 0 or 1");
            }
            sortByAddress();
            if (format == Format.SYSTEM_MAP) {
                rankAliases();
            }
            return new SymbolTable(source, format, data, Arrays.copyOf(addr, n), Arrays.copyOf(nameAt, n),
                    Arrays.copyOf(nameLen, n), Arrays.copyOf(nameHash, n), Arrays.copyOf(type, n),
                    Arrays.copyOf(owner, n), owners.toArray(String[]::new));
        }

        /**
         * Parses the line starting at {@code from} in a single pass (the hot loop of a 200,000-line
         * kallsyms) and returns where the next line starts.
         */
        private int parseLine(int from, int line) {
            final byte[] d = data;
            final int len = d.length;
            int p = from;
            if (d[p] == '\n') {
                return p + 1;
            }
            if (d[p] == '\r' && (p + 1 == len || d[p + 1] == '\n')) {
                return p + 2;
            }
            long a = 0;
            int digits = 0;
            int h;
            while (p < len && (h = HEX[d[p] & 0xff]) >= 0) {
                a = (a << 4) | h;
                digits++;
                p++;
            }
            if (digits == 0 || digits > 16) {
                throw bad(line, from, "expected a hex address");
            }
            int afterAddr = p;
            p = skipBlank(p);
            if (p == afterAddr || p >= len) {
                throw bad(line, from, "expected 'ADDRESS TYPE NAME'");
            }
            byte t = d[p++];
            int afterType = p;
            p = skipBlank(p);
            if (p == afterType || p >= len || !isTypeChar(t) || isEol(d[p])) {
                throw bad(line, from, "expected a one-letter symbol type and a name after the address");
            }
            int nameStart = p;
            int hash = 0;
            byte c;
            while (p < len && (c = d[p]) != ' ' && c != '\t' && c != '\n' && c != '\r') {
                hash = 31 * hash + (c & 0xff);
                p++;
            }
            int nameLength = p - nameStart;
            if (nameLength > MAX_NAME) {
                throw bad(line, from, "symbol name longer than " + MAX_NAME + " bytes");
            }
            p = skipBlank(p);
            int own = 0;
            if (p < len && d[p] == '[') {
                int close = p + 1;
                while (close < len && d[close] != ']' && d[close] != '\n') {
                    close++;
                }
                if (close >= len || d[close] != ']' || close == p + 1) {
                    throw bad(line, from, "unterminated [module] column");
                }
                own = ownerOf(p + 1, close);
                p = skipBlank(close + 1);
            }
            if (p < len && d[p] == '\r') {
                p++;
            }
            if (p < len && d[p] != '\n') {
                throw bad(line, from, "unexpected text after the symbol");
            }
            if (!skip(t, nameStart, nameLength)) {
                add(a, nameStart, nameLength, hash, t, own);
            }
            return p + 1;
        }

        private void add(long a, int nameStart, int nameLength, int hash, byte t, int own) {
            if (n == MAX_SYMBOLS) {
                throw InputException.ofFile(source, "has more than " + MAX_SYMBOLS + " symbols");
            }
            if (n == addr.length) {
                grow();
            }
            addr[n] = a;
            nameAt[n] = nameStart;
            nameLen[n] = (short) nameLength;
            nameHash[n] = hash;
            type[n] = t;
            owner[n] = own;
            n++;
            nonZero |= a != 0;
        }

        private static boolean isEol(byte b) {
            return b == '\n' || b == '\r';
        }

        /**
         * Symbols that are not code locations: undefined ({@code U}), debugging ({@code N}),
         * absolute ({@code A}: x86 per-cpu offsets, CRCs) and ARM mapping symbols ({@code $x}).
         */
        private boolean skip(byte t, int at, int len) {
            if (t == 'U' || t == 'u' || t == 'N' || t == 'n' || t == 'A' || t == 'a' || t == '?') {
                return true;
            }
            return data[at] == '$' || (len >= 2 && data[at] == '.' && data[at + 1] == 'L');
        }

        private int ownerOf(int from, int to) {
            int len = to - from;
            if (len == lastOwnerLen && Arrays.equals(data, from, to, data, lastOwnerAt, lastOwnerAt + len)) {
                return lastOwner;
            }
            String name = new String(data, from, len, StandardCharsets.ISO_8859_1);
            Integer idx = ownerIndex.get(name);
            if (idx == null) {
                idx = owners.size();
                owners.add(name);
                ownerIndex.put(name, idx);
            }
            lastOwnerAt = from;
            lastOwnerLen = len;
            lastOwner = idx;
            return idx;
        }

        private void grow() {
            int cap = Math.min(MAX_SYMBOLS, Math.max(16, addr.length * 2));
            addr = Arrays.copyOf(addr, cap);
            nameAt = Arrays.copyOf(nameAt, cap);
            nameLen = Arrays.copyOf(nameLen, cap);
            nameHash = Arrays.copyOf(nameHash, cap);
            type = Arrays.copyOf(type, cap);
            owner = Arrays.copyOf(owner, cap);
        }

        /** kallsyms lists modules after the kernel, each in its own order: sort (stably) only if needed. */
        private void sortByAddress() {
            boolean sorted = true;
            for (int i = 1; i < n && sorted; i++) {
                sorted = Long.compareUnsigned(addr[i - 1], addr[i]) <= 0;
            }
            if (sorted) {
                return;
            }
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            mergeSort(idx, new int[n], 0, n);
            long[] a2 = new long[n];
            int[] na2 = new int[n];
            short[] nl2 = new short[n];
            int[] nh2 = new int[n];
            byte[] t2 = new byte[n];
            int[] o2 = new int[n];
            for (int i = 0; i < n; i++) {
                int j = idx[i];
                a2[i] = addr[j];
                na2[i] = nameAt[j];
                nl2[i] = nameLen[j];
                nh2[i] = nameHash[j];
                t2[i] = type[j];
                o2[i] = owner[j];
            }
            addr = a2;
            nameAt = na2;
            nameLen = nl2;
            nameHash = nh2;
            type = t2;
            owner = o2;
        }

        private void mergeSort(int[] idx, int[] tmp, int from, int to) {
            if (to - from <= 16) {
                for (int i = from + 1; i < to; i++) {
                    int v = idx[i];
                    int j = i - 1;
                    while (j >= from && Long.compareUnsigned(addr[idx[j]], addr[v]) > 0) {
                        idx[j + 1] = idx[j];
                        j--;
                    }
                    idx[j + 1] = v;
                }
                return;
            }
            int mid = (from + to) >>> 1;
            mergeSort(idx, tmp, from, mid);
            mergeSort(idx, tmp, mid, to);
            if (Long.compareUnsigned(addr[idx[mid - 1]], addr[idx[mid]]) <= 0) {
                return;
            }
            System.arraycopy(idx, from, tmp, from, to - from);
            int i = from, j = mid, k = from;
            while (i < mid && j < to) {
                idx[k++] = Long.compareUnsigned(addr[tmp[j]], addr[tmp[i]]) < 0 ? tmp[j++] : tmp[i++];
            }
            while (i < mid) {
                idx[k++] = tmp[i++];
            }
            while (j < to) {
                idx[k++] = tmp[j++];
            }
        }

        /** Orders each alias group the way scripts/kallsyms.c does, so the first is the printed name. */
        private void rankAliases() {
            int i = 0;
            while (i < n) {
                int j = i + 1;
                while (j < n && addr[j] == addr[i]) {
                    j++;
                }
                if (j - i > 1) {
                    rankGroup(i, j);
                }
                i = j;
            }
        }

        private void rankGroup(int from, int to) {
            Integer[] order = new Integer[to - from];
            int[] ranks = new int[to - from];
            for (int k = from; k < to; k++) {
                order[k - from] = k;
                ranks[k - from] = rank(k);
            }
            Arrays.sort(order, (x, y) -> Integer.compare(ranks[x - from], ranks[y - from])); // stable
            int[] na = new int[order.length];
            short[] nl = new short[order.length];
            int[] nh = new int[order.length];
            byte[] ty = new byte[order.length];
            int[] ow = new int[order.length];
            for (int k = 0; k < order.length; k++) {
                na[k] = nameAt[order[k]];
                nl[k] = nameLen[order[k]];
                nh[k] = nameHash[order[k]];
                ty[k] = type[order[k]];
                ow[k] = owner[order[k]];
            }
            System.arraycopy(na, 0, nameAt, from, na.length);
            System.arraycopy(nl, 0, nameLen, from, nl.length);
            System.arraycopy(nh, 0, nameHash, from, nh.length);
            System.arraycopy(ty, 0, type, from, ty.length);
            System.arraycopy(ow, 0, owner, from, ow.length);
        }

        private int rank(int i) {
            int at = nameAt[i], len = nameLen[i];
            int weak = type[i] == 'w' || type[i] == 'W' ? 1 : 0;
            int underscores = 0;
            while (underscores < len && data[at + underscores] == '_') {
                underscores++;
            }
            return (weak << 20) | (linkerProvided(at, len) << 19) | Math.min(underscores, 0xffff);
        }

        /** scripts/kallsyms.c may_be_linker_script_provide_symbol. */
        private int linkerProvided(int at, int len) {
            if (len < 8 || data[at] != '_' || data[at + 1] != '_') {
                return 0;
            }
            String s = new String(data, at, len, StandardCharsets.ISO_8859_1);
            return s.startsWith("__start_") || s.startsWith("__stop_") || s.startsWith("__end_")
                    || s.endsWith("_start") || s.endsWith("_end") ? 1 : 0;
        }

        private int skipBlank(int p) {
            while (p < data.length && (data[p] == ' ' || data[p] == '\t')) {
                p++;
            }
            return p;
        }

        private static boolean isTypeChar(byte t) {
            return (t >= 'a' && t <= 'z') || (t >= 'A' && t <= 'Z') || t == '?' || t == '-';
        }


        private InputException bad(int line, int from, String reason) {
            int end = from;
            while (end < data.length && data[end] != '\n' && end - from < 80) {
                end++;
            }
            String text = new String(data, from, end - from, StandardCharsets.ISO_8859_1)
                    .replaceAll("[^\\x20-\\x7e]", "?");
            return new InputException(source, line, reason + " (a " + format.label() + " line is"
                    + " 'ADDRESS TYPE NAME'" + (format == Format.KALLSYMS ? " [module]" : "") + "), found: " + text);
        }
    }
}
