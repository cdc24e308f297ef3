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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One message digest in progress in libcrypto (EVP), for everything kharden hashes in bulk: module
 * content (any digest the kernel signs with) and sealed bundle entries (SHA-256). Data may be native
 * memory (a segment, or a direct buffer such as a read buffer) or a Java array, which is passed as it
 * is (pinned for the call, no copy).
 * Every length handed to native code is checked against the segment or array that goes with it.
 * {@link #finish} frees the context; so does {@link #close}, for early exits. libcrypto is reached
 * through kharden's JNI bridge ({@link JniCrypto}) when it is built, else through the FFM API; without
 * libcrypto (see {@link SystemLibCrypto}) {@link #available()} is false and callers use the JDK's
 * digests.
 */
public final class NativeDigest implements AutoCloseable {
    private static final Engine ENGINE = Engine.load();

    private final Engine engine;
    private long ctx;

    private NativeDigest(Engine engine, long ctx) {
        this.engine = engine;
        this.ctx = ctx;
    }

    /** The EVP digest calls on one path to libcrypto; contexts and digest types are addresses. */
    abstract static class Engine {
        private final Map<String, Long> types = new ConcurrentHashMap<>();

        abstract long typeByName(String name);

        /** A context initialised for the digest type, or 0. */
        abstract long start(long md);

        abstract boolean updateNative(long ctx, MemorySegment data, long length);

        abstract boolean update(long ctx, byte[] b, int off, int len);

        /** Hashes {@code b[off, off + len)} of a direct buffer. */
        abstract boolean updateBuffer(long ctx, ByteBuffer b, int off, int len);

        /** Writes the digest into {@code out} (64 bytes) and returns its length, or -1. */
        abstract int finish(long ctx, byte[] out);

        abstract void free(long ctx);

        final long type(String name) {
            return types.computeIfAbsent(name, this::typeByName);
        }

        /** The JNI bridge when it is there, else FFM; either only after it answers SHA-256("abc"). */
        static Engine load() {
            Engine jni = jni();
            return jni != null ? jni : ffm();
        }

        /** The digests through the JNI bridge, or null when it is not built or does not answer right. */
        static Engine jni() {
            if (!JniCrypto.available()) {
                return null;
            }
            Engine e = new Jni();
            return e.answersAbc() ? e : null;
        }

        /** The digests through the FFM API, or null when libcrypto cannot be linked or does not answer right. */
        static Engine ffm() {
            Ffm e = Ffm.load();
            return e != null && e.answersAbc() ? e : null;
        }

        /** SHA-256("abc") as FIPS 180-2 gives it: proves the right library and signatures. */
        final boolean answersAbc() {
            try (NativeDigest d = NativeDigest.start(this, "sha256")) {
                if (d == null) {
                    return false;
                }
                d.update(new byte[] {'a', 'b', 'c'}, 0, 3);
                return HexFormat.of().formatHex(d.finish())
                        .equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            } catch (RuntimeException e) {
                return false;
            }
        }
    }

    /** Through kharden's JNI bridge. */
    private static final class Jni extends Engine {
        @Override
        long typeByName(String name) {
            return JniCrypto.digestByName((name + "\0").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        long start(long md) {
            return JniCrypto.digestStart(md);
        }

        @Override
        boolean updateNative(long ctx, MemorySegment data, long length) {
            return JniCrypto.digestUpdateNative(ctx, data.address(), length) == 1;
        }

        @Override
        boolean update(long ctx, byte[] b, int off, int len) {
            return JniCrypto.digestUpdate(ctx, b, off, len) == 1;
        }

        @Override
        boolean updateBuffer(long ctx, ByteBuffer b, int off, int len) {
            return JniCrypto.digestUpdateBuffer(ctx, b, off, len) == 1;
        }

        @Override
        int finish(long ctx, byte[] out) {
            return JniCrypto.digestFinish(ctx, out);
        }

        @Override
        void free(long ctx) {
            JniCrypto.digestFree(ctx);
        }
    }

    /** Through the FFM API. */
    private static final class Ffm extends Engine {
        private final MethodHandle byName;
        private final MethodHandle ctxNew;
        private final MethodHandle ctxFree;
        private final MethodHandle init;
        private final MethodHandle update;
        private final MethodHandle finish;

        private Ffm(SymbolLookup lib) {
            Linker linker = Linker.nativeLinker();
            Linker.Option critical = Linker.Option.critical(true); // short calls; Java arrays allowed
            byName = linker.downcallHandle(lib.findOrThrow("EVP_get_digestbyname"), FunctionDescriptor.of(ADDRESS, ADDRESS));
            ctxNew = linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_new"), FunctionDescriptor.of(ADDRESS));
            ctxFree = linker.downcallHandle(lib.findOrThrow("EVP_MD_CTX_free"), FunctionDescriptor.ofVoid(ADDRESS));
            init = linker.downcallHandle(lib.findOrThrow("EVP_DigestInit_ex"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
            update = linker.downcallHandle(lib.findOrThrow("EVP_DigestUpdate"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), critical);
            finish = linker.downcallHandle(lib.findOrThrow("EVP_DigestFinal_ex"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), critical);
        }

        static Ffm load() {
            SymbolLookup lib = SystemLibCrypto.library().orElse(null);
            if (lib == null) {
                return null;
            }
            try {
                return new Ffm(lib);
            } catch (Throwable e) {
                // A symbol missing, a wrong library or native access refused: the JDK's digests are used.
                return null;
            }
        }

        @Override
        long typeByName(String name) {
            try (Arena a = Arena.ofConfined()) {
                return ((MemorySegment) byName.invokeExact(a.allocateFrom(name))).address();
            } catch (Throwable t) {
                throw NativeLibraries.rethrow(t);
            }
        }

        @Override
        long start(long md) {
            try {
                MemorySegment c = (MemorySegment) ctxNew.invokeExact();
                if (c.equals(MemorySegment.NULL)) {
                    return 0;
                }
                if ((int) init.invokeExact(c, MemorySegment.ofAddress(md), MemorySegment.NULL) != 1) {
                    ctxFree.invokeExact(c);
                    return 0;
                }
                return c.address();
            } catch (Throwable t) {
                throw NativeLibraries.rethrow(t);
            }
        }

        @Override
        boolean updateNative(long ctx, MemorySegment data, long length) {
            return update(ctx, data, length);
        }

        @Override
        boolean update(long ctx, byte[] b, int off, int len) {
            return update(ctx, MemorySegment.ofArray(b).asSlice(off, len), len);
        }

        @Override
        boolean updateBuffer(long ctx, ByteBuffer b, int off, int len) {
            return update(ctx, MemorySegment.ofBuffer(b.duplicate().clear()).asSlice(off, len), len);
        }

        private boolean update(long ctx, MemorySegment data, long length) {
            try {
                return (int) update.invokeExact(MemorySegment.ofAddress(ctx), data, length) == 1;
            } catch (Throwable t) {
                throw NativeLibraries.rethrow(t);
            }
        }

        @Override
        int finish(long ctx, byte[] out) {
            try {
                int[] len = new int[1];
                int ok = (int) finish.invokeExact(MemorySegment.ofAddress(ctx), MemorySegment.ofArray(out),
                        MemorySegment.ofArray(len));
                return ok == 1 ? len[0] : -1;
            } catch (Throwable t) {
                throw NativeLibraries.rethrow(t);
            }
        }

        @Override
        void free(long ctx) {
            try {
                ctxFree.invokeExact(MemorySegment.ofAddress(ctx));
            } catch (Throwable t) {
                throw NativeLibraries.rethrow(t);
            }
        }
    }

    /** Whether libcrypto is linked and computes digests. */
    public static boolean available() {
        return ENGINE != null;
    }

    /** Whether the digests go through kharden's JNI bridge (else the FFM API), for reports and tests. */
    public static boolean viaJni() {
        return ENGINE instanceof Jni;
    }

    /**
     * A running digest named as OpenSSL (and the kernel's sign-file) name it: "sha256", "sha3-256".
     * Null without libcrypto, or when it does not know the name.
     */
    public static NativeDigest start(String name) {
        return ENGINE == null ? null : start(ENGINE, name);
    }

    /** A running digest on the given path to libcrypto (both paths are tested against each other). */
    static NativeDigest start(Engine engine, String name) {
        long md = engine.type(name);
        if (md == 0) {
            return null;
        }
        long c = engine.start(md);
        return c == 0 ? null : new NativeDigest(engine, c);
    }

    /** Adds bytes [0, length) of a segment (native memory or a Java byte array). */
    public void update(MemorySegment data, long length) {
        Objects.checkFromIndexSize(0, length, data.byteSize());
        if (data.isNative()) {
            check(engine.updateNative(live(), data, length));
        } else if (data.heapBase().orElse(null) instanceof byte[] b) {
            int off = Math.toIntExact(data.address()); // a heap segment's address is its offset in the array
            update(b, off, Math.toIntExact(length));
        } else {
            throw new IllegalArgumentException("not a byte array or native memory");
        }
    }

    /**
     * Adds the remaining bytes of a direct buffer (native memory: a read buffer), hashed where they
     * lie; its position moves to its limit.
     */
    public void update(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        int off = direct.position();
        int len = direct.remaining();
        check(engine.updateBuffer(live(), direct, off, len));
        direct.position(off + len);
    }

    /** Adds bytes [off, off + len) of an array, passed to libcrypto as it is. */
    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        check(engine.update(live(), b, off, len));
    }

    /** The digest; the context is freed. */
    public byte[] finish() {
        try {
            byte[] out = new byte[64]; // EVP_MAX_MD_SIZE
            int n = engine.finish(live(), out);
            if (n < 0) {
                throw new IllegalStateException("libcrypto digest call failed");
            }
            Objects.checkFromIndexSize(0, n, out.length);
            return java.util.Arrays.copyOf(out, n);
        } finally {
            close();
        }
    }

    private long live() {
        if (ctx == 0) {
            throw new IllegalStateException("digest already finished");
        }
        return ctx;
    }

    @Override
    public void close() {
        if (ctx != 0) {
            long c = ctx;
            ctx = 0;
            engine.free(c);
        }
    }

    private static void check(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("libcrypto digest call failed");
        }
    }
}
