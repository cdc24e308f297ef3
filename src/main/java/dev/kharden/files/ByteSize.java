package dev.kharden.files;

/** Byte counts for people: {@code 512 B}, {@code 1.5 KiB}, {@code 256.2 MiB}, {@code 3.0 GiB}, {@code 1.2 TiB}. */
public final class ByteSize {
    private ByteSize() {
    }

    /**
     * {@code bytes} in the largest binary unit it reaches, to one decimal rounded half up, as
     * {@code %.1f} prints it (without a Formatter, whose first use costs start-up time).
     */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (u < units.length - 1 && bytes >= 1L << (10 * (u + 2))) {
            u++;
        }
        return tenths(bytes, 1L << (10 * (u + 1))) + " " + units[u];
    }

    /** {@code bytes / unit} to one decimal, rounded half up. */
    private static String tenths(long bytes, long unit) {
        long whole = bytes / unit;
        long t = whole * 10 + ((bytes % unit) * 10 + unit / 2) / unit; // no overflow: the remainder is below unit
        return t / 10 + "." + t % 10;
    }
}
