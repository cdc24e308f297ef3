package dev.kharden.scan;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one job: turn findings' edits into a unified diff that {@code patch -p1} applies (paths
 * {@code a/NAME} and {@code b/NAME}, three lines of context, hunks merged when their context
 * touches). Files are never edited in place. Overlapping edits (a call nested in another's
 * argument) keep the first and drop the rest, so the diff always applies.
 */
public final class FixDiff {
    private static final int CONTEXT = 3;

    private FixDiff() {
    }

    /**
     * The diff of one file: {@code name} is the path below the directory where patch -p1 runs,
     * {@code original} its bytes; empty when no finding has edits. Bytes, not text: lines the
     * edits do not touch are copied byte for byte, whatever their encoding, so the context matches.
     */
    public static byte[] forFile(String name, byte[] original, List<Finding> findings) {
        List<Finding.Edit> edits = new ArrayList<>();
        for (Finding f : findings) {
            edits.addAll(f.edits());
        }
        edits.sort(Comparator.comparingInt(Finding.Edit::start));
        List<Finding.Edit> kept = new ArrayList<>();
        int last = -1;
        for (Finding.Edit e : edits) {
            if (e.start() >= last && e.end() <= original.length && e.start() <= e.end()) {
                kept.add(e);
                last = e.end();
            }
        }
        if (kept.isEmpty()) {
            return new byte[0];
        }
        // Apply the edits to the whole file, then diff line by line around the touched lines.
        StringBuilder after = new StringBuilder();
        String before = new String(original, StandardCharsets.ISO_8859_1);
        int pos = 0;
        for (Finding.Edit e : kept) {
            after.append(before, pos, e.start());
            after.append(new String(e.text().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
            pos = e.end();
        }
        after.append(before, pos, before.length());
        List<String> a = lines(before);
        List<String> b = lines(after.toString());
        return unified(name, a, b, kept, before, new LineMap(original), !before.endsWith("\n"),
                !after.toString().endsWith("\n"))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String unified(String name, List<String> a, List<String> b, List<Finding.Edit> edits,
            String before, LineMap map, boolean aNoEol, boolean bNoEol) {
        // Changed regions in old-line coordinates: each edit covers lines [first, last] of the old text,
        // and shifts the new text by its line-count delta.
        List<int[]> regions = new ArrayList<>(); // {oldFirst, oldLast, newFirst, newLast} (0-based, inclusive)
        int delta = 0;
        for (Finding.Edit e : edits) {
            // 0-based lines, found by binary search: counting newlines from the top for each edit
            // made a file with thousands of edits quadratic
            int oldFirst = map.line(e.start()) - 1;
            int oldLast = map.line(Math.max(e.start(), e.end() - 1)) - 1;
            if (e.end() > e.start() && before.charAt(e.end() - 1) == '\n') {
                oldLast = map.line(e.end() - 1) - 1;
            }
            int removed = count(before.substring(e.start(), e.end()), '\n');
            int added = count(e.text(), '\n');
            int newFirst = oldFirst + delta;
            int newLast = oldLast + delta + (added - removed);
            if (!regions.isEmpty() && regions.get(regions.size() - 1)[1] >= oldFirst) {
                int[] r = regions.get(regions.size() - 1);
                r[1] = Math.max(r[1], oldLast);
                r[3] = newLast;
            } else {
                regions.add(new int[] {oldFirst, oldLast, newFirst, newLast});
            }
            delta += added - removed;
        }
        StringBuilder out = new StringBuilder();
        String latinName = new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        out.append("--- a/").append(latinName).append('\n');
        out.append("+++ b/").append(latinName).append('\n');
        int i = 0;
        while (i < regions.size()) {
            int[] first = regions.get(i);
            int j = i;
            while (j + 1 < regions.size() && regions.get(j + 1)[0] - regions.get(j)[1] <= 2 * CONTEXT + 1) {
                j++;
            }
            int[] lastR = regions.get(j);
            int oStart = Math.max(0, first[0] - CONTEXT);
            int oEnd = Math.min(a.size() - 1, lastR[1] + CONTEXT);
            int nStart = oStart + (first[2] - first[0]);
            int nEnd = oEnd + (lastR[3] - lastR[1]);
            StringBuilder body = new StringBuilder();
            int o = oStart;
            for (int k = i; k <= j; k++) {
                int[] r = regions.get(k);
                while (o < r[0]) {
                    line(body, ' ', a, o, aNoEol);
                    o++;
                }
                for (int x = r[0]; x <= r[1]; x++) {
                    line(body, '-', a, x, aNoEol);
                }
                for (int x = r[2]; x <= r[3]; x++) {
                    line(body, '+', b, x, bNoEol);
                }
                o = r[1] + 1;
            }
            while (o <= oEnd) {
                line(body, ' ', a, o, aNoEol);
                o++;
            }
            out.append("@@ -").append(range(oStart, oEnd)).append(" +").append(range(nStart, nEnd)).append(" @@\n");
            out.append(body);
            i = j + 1;
        }
        return out.toString();
    }

    private static void line(StringBuilder body, char tag, List<String> lines, int i, boolean noEol) {
        body.append(tag).append(lines.get(i)).append('\n');
        if (noEol && i == lines.size() - 1) {
            body.append("\\ No newline at end of file\n");
        }
    }

    private static String range(int first, int last) {
        int len = last - first + 1;
        return (len == 0 ? first : first + 1) + "," + len;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    /** Lines without their terminators; a last line without a newline is still a line. */
    private static List<String> lines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }
}
