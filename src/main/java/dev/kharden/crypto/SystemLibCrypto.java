package dev.kharden.crypto;

import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * Where kharden finds the system's OpenSSL 3 libcrypto ({@code libcrypto.so.3}), and the one switch
 * that turns it off: {@code -Dkharden.libcrypto=off}. Module verification (hashing, RSA) and sealing
 * (ChaCha20-Poly1305, SHA-256) each bind the few functions they call; both ask here first, so the
 * library is looked up once and the switch means the same everywhere. Without the library every
 * caller falls back to the JDK's implementations, with identical results.
 */
public final class SystemLibCrypto {
    /** The system property that, set to {@code off}, keeps kharden on the JDK's implementations. */
    public static final String SWITCH = "kharden.libcrypto";

    private SystemLibCrypto() {
    }

    /**
     * Looked up on first need only: with the JNI bridge in use no FFM lookup is made, and
     * {@link #switchedOff()} alone costs nothing (the lookup is about 7 ms at start).
     */
    private static final class Holder {
        static final Optional<SymbolLookup> LIBRARY = find();
    }

    /** libcrypto.so.3's symbols, or empty when it is absent, unloadable or switched off. */
    public static Optional<SymbolLookup> library() {
        return Holder.LIBRARY;
    }

    /** Whether {@code -Dkharden.libcrypto=off} is set. */
    public static boolean switchedOff() {
        return "off".equals(System.getProperty(SWITCH));
    }

    private static Optional<SymbolLookup> find() {
        return NativeLibraries.lookup("libcrypto.so.3", SWITCH);
    }
}
