package dev.kharden.symbolize;

import java.util.ArrayList;
import java.util.List;

/**
 * One hex number printed in a log line that could be an address: a whole word (bounded by
 * characters that cannot be part of a C identifier) that is either {@code 0x} plus 1..16 hex digits
 * or 8..16 bare hex digits. Symbol names ({@code cafebabe+0x10/0x20}) and offsets/sizes after
 * {@code +} or {@code /} are not tokens. One scanner serves symbolization and redaction, so both
 * see the same numbers; it is a single pass over the characters (no regular expressions).
 *
 * @param start  index of the first character (the {@code 0} of {@code 0x} when prefixed)
 * @param end    index after the last digit
 * @param digits number of hex digits (without {@code 0x})
 * @param value  the number, as an unsigned 64-bit value
 */
public record HexToken(int start, int end, int digits, long value) {

    /** Scans {@code line} from {@code from} to its end. */
    public static List<HexToken> scan(String line, int from) {
        List<HexToken> out = new ArrayList<>();
        int n = line.length();
        int i = Math.max(0, from);
        while (i < n) {
            char c = line.charAt(i);
            if (!isWordChar(c)) {
                i++;
                continue;
            }
            int runStart = i;
            while (i < n && isWordChar(line.charAt(i))) {
                i++;
            }
            HexToken t = token(line, runStart, i);
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private static HexToken token(String line, int start, int end) {
        char before = start > 0 ? line.charAt(start - 1) : ' ';
        char after = end < line.length() ? line.charAt(end) : ' ';
        if (before == '+' || before == '/' || after == '+') {
            return null; // offset/size of a symbolic frame, or a symbol name that looks like hex
        }
        int digitsStart = start;
        boolean prefixed = end - start > 2 && line.charAt(start) == '0'
                && (line.charAt(start + 1) == 'x' || line.charAt(start + 1) == 'X');
        if (prefixed) {
            digitsStart = start + 2;
        }
        int digits = end - digitsStart;
        if (digits > 16 || (!prefixed && digits < 8)) {
            return null;
        }
        long value = 0;
        for (int k = digitsStart; k < end; k++) {
            int d = Character.digit(line.charAt(k), 16);
            if (d < 0) {
                return null;
            }
            value = (value << 4) | d;
        }
        return new HexToken(start, end, digits, value);
    }

    static boolean isWordChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }
}
