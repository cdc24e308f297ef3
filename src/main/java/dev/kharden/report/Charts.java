package dev.kharden.report;

import java.util.Locale;
import java.util.Map;

/**
 * Draws horizontal stacked bar charts as inline SVG (no script, no fetch): one labelled row per key,
 * one segment per verdict, with the counts in each row's tooltip. Rows scale to the largest total,
 * or each to 100% when {@code share} is set (to compare profiles that hold different checks).
 */
final class Charts {
    private static final int LABEL = 270;
    private static final int BAR = 360;
    private static final int ROW = 22;

    private Charts() {
    }

    static void stacked(StringBuilder b, Map<String, long[]> rows, Map<String, String> colours, boolean share, String name) {
        long max = 1;
        for (long[] c : rows.values()) {
            max = Math.max(max, sum(c));
        }
        int height = rows.size() * ROW + 4;
        b.append("<svg class=\"chart\" data-chart=\"").append(name).append("\" role=\"img\" width=\"").append(LABEL + BAR + 90)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(LABEL + BAR + 90).append(' ')
                .append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        String[] names = colours.keySet().toArray(String[]::new);
        int y = 2;
        for (Map.Entry<String, long[]> row : rows.entrySet()) {
            long[] c = row.getValue();
            long total = sum(c);
            double scale = share ? (total == 0 ? 0 : (double) BAR / total) : (double) BAR / max;
            StringBuilder tip = new StringBuilder(row.getKey()).append(':');
            for (int i = 0; i < c.length; i++) {
                tip.append(' ').append(c[i]).append(' ').append(names[i].replace('_', ' ')).append(i < c.length - 1 ? "," : "");
            }
            b.append("<g class=\"bar\" data-key=\"").append(HtmlReport.esc(row.getKey())).append("\"><title>")
                    .append(HtmlReport.esc(tip.toString())).append("</title><text x=\"0\" y=\"").append(y + 14).append("\">")
                    .append(HtmlReport.esc(clip(row.getKey()))).append("</text>");
            double x = LABEL;
            for (int i = 0; i < c.length; i++) {
                double w = c[i] * scale;
                if (w > 0) {
                    b.append("<rect data-verdict=\"").append(names[i]).append("\" x=\"").append(fmt(x)).append("\" y=\"").append(y)
                            .append("\" width=\"").append(fmt(w)).append("\" height=\"").append(ROW - 4)
                            .append("\" fill=\"").append(colours.get(names[i])).append("\"/>");
                    x += w;
                }
            }
            int pass = java.util.Arrays.asList(names).indexOf("pass");
            String end = share && total > 0 ? Math.round(100.0 * c[pass] / total) + "% pass" : c[0] + " fail / " + total;
            b.append("<text x=\"").append(fmt(x + 6)).append("\" y=\"").append(y + 14).append("\">").append(end).append("</text></g>");
            y += ROW;
        }
        b.append("</svg>");
    }

    private static long sum(long[] c) {
        long s = 0;
        for (long v : c) {
            s += v;
        }
        return s;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 39) + "…" : s;
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
