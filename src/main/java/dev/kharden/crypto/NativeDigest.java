package dev.kharden.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One message digest in progress in libcrypto (EVP), for everything kharden hashes in bulk: module
 * content (any digest the kernel signs with) and sealed bundle entries (SHA-256). Data may be native
 * memory (a read buffer) or a Java array, which is passed as it is (critical calls, no copy). Every
 * length handed to native code is checked against the segment that goes with it. {@link #finish}
 * frees the context; so does {@link #close}, for early exits. Without libcrypto (see
 * {@link SystemLibCrypto}) {@link #available()} is false and callers use the JDK's digests.
 */
public final class NativeDigest implements AutoCloseable {
    private static final Binding EVP = Binding.load();

    private final Binding evp;
    private MemorySegment ctx;

    private NativeDigest(Binding evp, MemorySegment ctx) {
        this.evp = evp;
        this.ctx = ctx;
    }

    /** The EVP digest calls, checked once on a known answer before anything relies on them. */
    private record Binding(MethodHandle byName, MethodHandle ctxNew, MethodHandle ctxFree, MethodHandle init,
            MethodHandle update, MethodHandle finish, Map<String, MemorySegment> types) {
        static Binding load() {
            SymbolLookup lib = SystemLibCrypto.library().orElse(null);
            if (lib == null) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                Linker.Option critical = Linker.Option.critical(true); // short calls; Java arrays allowed
                Binding b = new Binding(
                        linker.downcallHandle(lib.findOrThrow("EVP_get_digestbyname"), FunctionDescriptor.of(ADDRESS, ADDRESS)),
                        linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_new"), FunctionDescriptor.of(ADDRESS)),
                        linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS)),
                        linker.downcallHandle(lib.findOrThrow("EVP_DigestInit_ex"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS)),
                        linker.downcallHandle(lib.findOrThrow("EVP_DigestUpdate"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), critical),
                        linker.downcallHandle(lib.findOrThrow("EVP_DigestFinal_ex"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), critical),
                        new ConcurrentHashMap<>());
                return b.answersAbc() ? b : null;
            } catch (Throwable e) {
                // A symbol missing, a wrong library or native access refused: the JDK's digests are used.
                return null;
            }
        }

        /** SHA-256("abc") as FIPS 180-2 gives it: proves the right library and signatures. */
        private boolean answersAbc() {
            try (NativeDigest d = start(this, "sha256")) {
                if (d == null) {
                    return false;
                }
                d.update(new byte[] {'a', 'b', 'c'}, 0, 3);
                return HexFormat.of().formatHex(d.finish())
                        .equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            }
        }
    }

    /** Whether libcrypto is linked and computes digests. */
    public static boolean available() {
        return EVP != null;
    }

    /**
     * A running digest named as OpenSSL (and the kernel's sign-file) name it: "sha256", "sha3-256".
     * Null without libcrypto, or when it does not know the name.
     */
    public static NativeDigest start(String name) {
        return EVP == null ? null : start(EVP, name);
    }

    private static NativeDigest start(Binding b, String name) {
        MemorySegment md = b.types().computeIfAbsent(name, n -> {
            try (Arena a = Arena.ofConfined()) {
                return (MemorySegment) b.byName().invokeExact(a.allocateFrom(n));
            } catch (Throwable t) {
                throw NativeLibraries.rethrow(t);
            }
        });
        if (md.equals(MemorySegment.NULL)) {
            return null;
        }
        try {
            MemorySegment c = (MemorySegment) b.ctxNew().invokeExact();
            if (c.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("EVP_MD_CTX_new");
            }
            NativeDigest d = new NativeDigest(b, c);
            if ((int) b.init().invokeExact(c, md, MemorySegment.NULL) != 1) {
                d.close();
                return null;
            }
            return d;
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    /** Adds bytes [0, length) of a segment (native memory or a Java array). */
    public void update(MemorySegment data, long length) {
        Objects.checkFromIndexSize(0, length, data.byteSize());
        try {
            check((int) evp.update().invokeExact(live(), data, length));
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    /** Adds bytes [off, off + len) of an array, passed to libcrypto as it is. */
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        update(MemorySegment.ofArray(b).asSlice(off, len), len);
    }

    /** The digest; the context is freed. */
    public byte[] finish() {
        try {
            byte[] out = new byte[64]; // EVP_MAX_MD_SIZE
            int[] len = new int[1];
            check((int) evp.finish().invokeExact(live(), MemorySegment.ofArray(out), MemorySegment.ofArray(len)));
            Objects.checkFromIndexSize(0, len[0], out.length);
            return java.util.Arrays.copyOf(out, len[0]);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        } finally {
            close();
        }
    }

    private MemorySegment live() {
        if (ctx == null) {
            throw new IllegalStateException("digest already finished");
        }
        return ctx;
    }

    @Override
    public void close() {
        if (ctx != null) {
            try {
                evp.ctxFree().invokeExact(ctx);
            } catch (Throwable t) {
                throw NativeLibraries.rethrow(t);
            } finally {
                ctx = null;
            }
        }
    }

    private static void check(int rc) {
        if (rc != 1) {
            throw new IllegalStateException("libcrypto digest call failed");
        }
    }
}
