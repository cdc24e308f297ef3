package dev.kharden.crypto;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * How kharden reaches a system library through the FFM API: looked up by its soname unless its
 * switch property is {@code off}, absent or unloadable meaning "use the Java implementation", and
 * one mapping of what a failed downcall threw. libcrypto ({@link SystemLibCrypto}) and liblzma (for
 * xz modules) go through here.
 */
public final class NativeLibraries {
    private NativeLibraries() {
    }

    /** The library's symbols, or empty when {@code switchProperty} is {@code off} or the library cannot load. */
    public static Optional<SymbolLookup> lookup(String soname, String switchProperty) {
        if ("off".equals(System.getProperty(switchProperty))) {
            return Optional.empty();
        }
        try {
            return Optional.of(SymbolLookup.libraryLookup(soname, Arena.global()));
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return Optional.empty(); // not installed, or native access refused
        }
    }

    /** What a failed downcall threw, as the unchecked exception callers handle; Errors pass as they are. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
