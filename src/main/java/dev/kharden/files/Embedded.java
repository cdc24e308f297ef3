package dev.kharden.files;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Data the build embeds in classes of its own ({@link EmbeddedWriter}): the compiled catalogue, the
 * command-line models, the version. A class comes from the JDK's start-up cache with the others,
 * where reading a resource opens and indexes the 11,000-entry jar first (about 15 ms of every run
 * that reads one). Each such class hands its bytes to {@link #register} when it is initialised.
 */
public final class Embedded {
    private static final Map<String, String[]> REGISTERED = new ConcurrentHashMap<>();

    private Embedded() {
    }

    /** Called by the initialiser of an embedding class with its bytes, one char each. */
    public static void register(String className, String[] chunks) {
        REGISTERED.put(className, chunks);
    }

    /** The bytes the build embedded in the class {@code className}, or null when there is no such class. */
    public static byte[] bytes(String className) {
        try {
            Class.forName(className, true, Embedded.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // not built by Maven (an IDE's compile, say), or left by an older build: callers fall back to their resource
            return null;
        }
        String[] chunks = REGISTERED.get(className);
        return chunks == null ? null : String.join("", chunks).getBytes(StandardCharsets.ISO_8859_1);
    }
}
