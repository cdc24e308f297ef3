package dev.kharden.seal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One kind of diagnostic data a bundle carries (kallsyms, module addresses, the kernel log...).
 * Collectors read from a {@link Machine} (the live system or a fake /proc and /sys tree) and hand
 * entries to a {@link Sink}, which keeps them for the encrypted bundle. A collector that
 * finds nothing, or only zeros, says why with {@link Sink#note}: the note lands in the manifest, so
 * support knows what is missing and what to ask for. Collectors from other packages (kharden's audit)
 * are passed in by the command line. The sealer runs them on a thread of their own.
 */
public interface Collector {
    /** A short stable id, used in the manifest ("kallsyms", "audit"). */
    String id();

    void collect(Machine machine, Sink sink) throws IOException;

    /**
     * The files this collector reads whole that are slow to produce (/proc/kallsyms): the sealer
     * starts reading them ahead ({@link Machine#prefetch}) while the collectors before run.
     */
    default List<String> slowFiles() {
        return List.of();
    }

    /** Where collected entries go. Entry names are relative, '/'-separated paths inside the bundle. */
    interface Sink {
        /** Adds an entry held in memory (the /proc and /sys files, all small). */
        void add(String name, byte[] data, String source) throws IOException;

        /** Adds a regular file, streamed from disk without being loaded whole. */
        void addFile(String name, Path file) throws IOException;

        /** Records a fact about the machine (kernel release, build id...) in the manifest. */
        void fact(String key, String value);

        /** Records something the user and support should know (missing data and why). */
        void note(String text);
    }
}
