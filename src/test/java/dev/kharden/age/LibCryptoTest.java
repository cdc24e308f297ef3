package dev.kharden.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * libcrypto's ChaCha20-Poly1305 and SHA-256 (the fast path) against the JDK's (the fallback): same
 * bytes both ways, each opens what the other sealed, and a flipped bit is refused by both. libcrypto's
 * cipher is tested both through kharden's JNI bridge (when built) and through the FFM API.
 */
class LibCryptoTest {
    /** The libcrypto ciphers to test: as kharden runs (the JNI bridge when built), and through FFM. */
    private static java.util.List<java.util.function.BiFunction<byte[], Boolean, Payload.ChunkCipher>> natives() {
        assumeTrue(LibCrypto.available());
        var out = new java.util.ArrayList<java.util.function.BiFunction<byte[], Boolean, Payload.ChunkCipher>>();
        out.add(LibCrypto::chaChaPoly);
        if (LibCrypto.ffmAvailable()) {
            out.add(LibCrypto.ChaChaPoly::new);
        }
        return out;
    }

    @Test
    void theBridgeCarriesTheCipherWhenItIsBuilt() {
        assumeTrue(dev.kharden.crypto.JniCrypto.available());
        assertTrue(LibCrypto.chaChaPoly(random(32), true) instanceof LibCrypto.JniChaChaPoly);
    }

    private static final Random RANDOM = new Random(42);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void libcryptoIsFoundOnThisMachine() {
        // The build machines have OpenSSL 3; without it the JDK path runs and this test says so.
        assumeTrue(!dev.kharden.crypto.SystemLibCrypto.switchedOff());
        assertTrue(LibCrypto.available(), "libcrypto.so.3 not linked: seal and unseal fall back to the JDK");
    }

    @Test
    void chachaPolyMatchesTheJdkEitherWay() {
        for (var make : natives()) {
            chachaPolyMatchesTheJdkEitherWay(make);
        }
    }

    private void chachaPolyMatchesTheJdkEitherWay(java.util.function.BiFunction<byte[], Boolean, Payload.ChunkCipher> make) {
        byte[] key = random(32);
        Payload.ChunkCipher jdkSeal = new Payload.JdkChunkCipher(key);
        Payload.ChunkCipher jdkOpen = new Payload.JdkChunkCipher(key);
        Payload.ChunkCipher nativeSeal = make.apply(key, true);
        Payload.ChunkCipher nativeOpen = make.apply(key, false);
        for (int n : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 1000, Payload.CHUNK}) {
            byte[] nonce = random(12);
            byte[] plain = random(n + 7);
            byte[] a = new byte[n + Payload.TAG];
            byte[] b = new byte[n + Payload.TAG];
            assertEquals(n + Payload.TAG, jdkSeal.seal(nonce, plain, 7, n, a));
            assertEquals(n + Payload.TAG, nativeSeal.seal(nonce, plain, 7, n, b));
            assertArrayEquals(a, b, "ciphertext of " + n + " bytes");
            byte[] back = new byte[Math.max(n, 1)];
            assertEquals(n, nativeOpen.open(nonce, a, a.length, back));
            assertArrayEquals(Arrays.copyOfRange(plain, 7, 7 + n), Arrays.copyOf(back, n));
            assertEquals(n, jdkOpen.open(nonce, b, b.length, back));
            for (int bit : new int[] {0, 8 * a.length - 1}) {
                byte[] bad = a.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                assertEquals(-1, nativeOpen.open(nonce, bad, bad.length, back), "flipped bit " + bit);
                assertEquals(-1, jdkOpen.open(nonce, bad, bad.length, back), "flipped bit " + bit);
            }
            byte[] otherNonce = nonce.clone();
            otherNonce[11] ^= 1;
            assertEquals(-1, nativeOpen.open(otherNonce, a, a.length, back), "wrong nonce");
        }
        assertEquals(-1, nativeOpen.open(new byte[12], new byte[15], 15, new byte[1]), "shorter than a tag");
    }

    @Test
    void nativeCallsCheckBounds() {
        for (var make : natives()) {
            Payload.ChunkCipher c = make.apply(random(32), true);
            assertThrows(IndexOutOfBoundsException.class, () -> c.seal(new byte[12], new byte[10], 5, 10, new byte[64]));
            assertThrows(IndexOutOfBoundsException.class, () -> c.seal(new byte[12], new byte[10], 0, 10, new byte[25]));
            assertThrows(IllegalArgumentException.class, () -> c.seal(new byte[11], new byte[10], 0, 10, new byte[26]));
            assertThrows(IllegalArgumentException.class, () -> make.apply(new byte[16], true));
            Payload.ChunkCipher o = make.apply(random(32), false);
            assertThrows(IndexOutOfBoundsException.class, () -> o.open(new byte[12], new byte[20], 21, new byte[64]));
            assertThrows(IndexOutOfBoundsException.class, () -> o.open(new byte[12], new byte[40], 40, new byte[23]));
        }
        MessageDigest sha = LibCrypto.sha256();
        assertThrows(IllegalArgumentException.class, () -> sha.update(new byte[4], 3, 2)); // MessageDigest checks first
    }

    @Test
    void sha256MatchesTheJdk() throws Exception {
        MessageDigest ours = LibCrypto.sha256();
        assertEquals("SHA-256", ours.getAlgorithm());
        assertEquals(32, ours.getDigestLength());
        for (int n : new int[] {0, 1, 55, 56, 64, 1000, 300_000}) {
            byte[] data = random(n);
            MessageDigest jdk = MessageDigest.getInstance("SHA-256");
            for (int off = 0; off < n; off += 777) {
                ours.update(data, off, Math.min(777, n - off));
            }
            ours.update((byte) 5);
            jdk.update(data);
            jdk.update((byte) 5);
            assertArrayEquals(jdk.digest(), ours.digest(), n + " bytes");
        }
        // Direct buffers (native memory, hashed where it lies) and heap buffers give the same digest.
        byte[] data = random(100_000);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 10).put(new byte[5]).put(data);
        ours.update(direct.flip().position(5));
        assertEquals(data.length + 5, direct.position());
        ours.update(ByteBuffer.wrap(data, 1000, 500));
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        jdk.update(data);
        jdk.update(data, 1000, 500);
        assertArrayEquals(jdk.digest(), ours.digest(), "byte buffers");
        // digest() resets: the next digest is of the empty input.
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(), ours.digest());
        ours.update(random(10));
        ours.reset();
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(), ours.digest());
    }

    /** Files written by either payload implementation open with the other, chunk boundaries included. */
    @Test
    void payloadStreamsInteroperate() throws IOException {
        for (var make : natives()) {
            payloadStreamsInteroperate(make);
        }
    }

    private void payloadStreamsInteroperate(java.util.function.BiFunction<byte[], Boolean, Payload.ChunkCipher> make)
            throws IOException {
        byte[] key = random(32);
        for (int n : new int[] {0, 1, Payload.CHUNK - 1, Payload.CHUNK, Payload.CHUNK + 1, 3 * Payload.CHUNK}) {
            byte[] plain = random(n);
            byte[] viaJdk = seal(new Payload.JdkChunkCipher(key), plain);
            byte[] viaNative = seal(make.apply(key, true), plain);
            assertArrayEquals(viaJdk, viaNative, n + " bytes");
            assertArrayEquals(plain, open(make.apply(key, false), viaJdk));
            assertArrayEquals(plain, open(new Payload.JdkChunkCipher(key), viaNative));
            if (n > 0) {
                byte[] cut = Arrays.copyOf(viaNative, viaNative.length - 1);
                assertThrows(AgeException.class, () -> open(make.apply(key, false), cut));
            }
        }
    }

    private static byte[] seal(Payload.ChunkCipher c, byte[] plain) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = new Payload.Writer(Channels.newChannel(sink), c)) {
            out.write(plain);
        }
        return sink.toByteArray();
    }

    /** Every cipher: the JDK's, and libcrypto's as kharden runs it and through FFM. */
    private static java.util.List<java.util.function.BiFunction<byte[], Boolean, Payload.ChunkCipher>> allCiphers() {
        var out = new java.util.ArrayList<java.util.function.BiFunction<byte[], Boolean, Payload.ChunkCipher>>();
        out.add((key, encrypt) -> new Payload.JdkChunkCipher(key));
        if (LibCrypto.available()) {
            out.addAll(natives());
        }
        return out;
    }

    /** A direct buffer holding {@code b}, at an offset so that buffer positions are not all zero. */
    private static ByteBuffer direct(byte[] b, int room) {
        ByteBuffer d = ByteBuffer.allocateDirect(3 + Math.max(b.length, room) + 3);
        return d.position(3).put(b).flip().position(3).limit(3 + Math.max(b.length, room));
    }

    /** The direct-buffer forms of every cipher give the bytes of the JDK's array form, and refuse what they should. */
    @Test
    void directBufferChunksMatchTheArrayForm() {
        byte[] key = random(32);
        Payload.ChunkCipher jdk = new Payload.JdkChunkCipher(key);
        for (var make : allCiphers()) {
            Payload.ChunkCipher sealer = make.apply(key, true);
            Payload.ChunkCipher opener = make.apply(key, false);
            for (int n : new int[] {0, 1, 15, 16, 17, 1000, Payload.CHUNK}) {
                byte[] nonce = random(12);
                byte[] plain = random(n);
                byte[] want = new byte[n + Payload.TAG];
                jdk.seal(nonce, plain, 0, n, want);
                ByteBuffer in = direct(plain, 0);
                ByteBuffer sealed = direct(new byte[0], n + Payload.TAG + 5); // room to spare is left alone
                assertEquals(n + Payload.TAG, sealer.seal(nonce, in, sealed));
                assertEquals(in.limit(), in.position(), "the input is consumed");
                assertEquals(3 + n + Payload.TAG, sealed.position(), "the output advances");
                byte[] got = new byte[n + Payload.TAG];
                sealed.get(3, got);
                assertArrayEquals(want, got);
                ByteBuffer back = direct(new byte[0], n);
                assertEquals(n, opener.open(nonce, direct(got, 0), back));
                assertEquals(3 + n, back.position());
                byte[] opened = new byte[n];
                back.get(3, opened);
                assertArrayEquals(plain, opened);
                got[n] ^= 1; // the tag's first byte
                assertEquals(-1, opener.open(nonce, direct(got, 0), direct(new byte[0], n)), "altered tag");
            }
            assertEquals(-1, opener.open(new byte[12], direct(new byte[15], 0), direct(new byte[1], 0)), "shorter than a tag");
        }
    }

    @Test
    void directBufferCallsCheckBounds() {
        for (var make : natives()) {
            Payload.ChunkCipher c = make.apply(random(32), true);
            Payload.ChunkCipher o = make.apply(random(32), false);
            assertThrows(IndexOutOfBoundsException.class, () -> c.seal(new byte[12], direct(new byte[10], 0), direct(new byte[0], 25)));
            assertThrows(IllegalArgumentException.class, () -> c.seal(new byte[11], direct(new byte[10], 0), direct(new byte[0], 26)));
            assertThrows(IndexOutOfBoundsException.class, () -> o.open(new byte[12], direct(new byte[40], 0), direct(new byte[0], 23)));
        }
        assumeTrue(dev.kharden.crypto.JniCrypto.available());
        // The bridge takes the addresses of direct buffers: a heap buffer has none to give.
        Payload.ChunkCipher jni = LibCrypto.chaChaPoly(random(32), true);
        assertThrows(IllegalArgumentException.class, () -> jni.seal(new byte[12], ByteBuffer.wrap(new byte[10]), direct(new byte[0], 26)));
        // The C side checks the ranges against the buffers' capacities too.
        long ctx = dev.kharden.crypto.JniCrypto.aeadNew(random(32), true);
        try {
            ByteBuffer in = ByteBuffer.allocateDirect(10);
            assertEquals(-2, dev.kharden.crypto.JniCrypto.aeadSealBuffer(ctx, new byte[12], in, 0, 10, ByteBuffer.allocateDirect(25), 0));
            assertEquals(-2, dev.kharden.crypto.JniCrypto.aeadSealBuffer(ctx, new byte[12], in, 1, 10, ByteBuffer.allocateDirect(26), 0));
            assertEquals(-2, dev.kharden.crypto.JniCrypto.aeadSealBuffer(ctx, new byte[12], in, 0, 10, ByteBuffer.allocateDirect(26), -1));
            assertEquals(-2, dev.kharden.crypto.JniCrypto.aeadSealBuffer(ctx, new byte[12], ByteBuffer.wrap(new byte[10]), 0, 10,
                    ByteBuffer.allocateDirect(26), 0));
            assertEquals(-2, dev.kharden.crypto.JniCrypto.aeadOpenBuffer(ctx, new byte[12], ByteBuffer.allocateDirect(40), 0, 25,
                    ByteBuffer.allocateDirect(40), 0), "the tag would lie past the input");
            assertEquals(26, dev.kharden.crypto.JniCrypto.aeadSealBuffer(ctx, new byte[12], in, 0, 10, ByteBuffer.allocateDirect(26), 0));
        } finally {
            dev.kharden.crypto.JniCrypto.aeadFree(ctx);
        }
    }

    /**
     * The writer's chunking from direct buffers, as a streamed file reaches it: the same file as from
     * arrays, whatever the pieces, with a full chunk sealed as the last only when nothing follows
     * (so a payload of whole chunks ends in a full final chunk, never an empty one).
     */
    @Test
    void directBufferWritesChunkAsArrayWritesDo() throws IOException {
        byte[] key = random(32);
        int c = Payload.CHUNK;
        int many = (Payload.Writer.OUT_CHUNKS + 1) * c; // more than one write to the channel
        for (var make : allCiphers()) {
            for (int n : new int[] {0, 1, c - 1, c, c + 1, 2 * c, 3 * c, many, many + 5}) {
                byte[] plain = random(n);
                byte[] want = seal(new Payload.JdkChunkCipher(key), plain);
                int chunks = Math.max(1, (n + c - 1) / c);
                assertEquals(n + chunks * Payload.TAG, want.length, n + " bytes: one tag per chunk, no empty final chunk");
                for (int piece : new int[] {c, 3 * c, 1000, c + 1, Math.max(n, 1)}) {
                    ByteArrayOutputStream sink = new ByteArrayOutputStream();
                    try (AgeOutput out = new Payload.Writer(Channels.newChannel(sink), make.apply(key, true))) {
                        for (int off = 0, i = 0; off < n; off += piece, i++) {
                            int len = Math.min(piece, n - off);
                            if (i % 3 == 2) {
                                out.write(plain, off, len); // arrays and direct buffers interleaved
                            } else {
                                ByteBuffer b = direct(Arrays.copyOfRange(plain, off, off + len), 0);
                                out.write(b);
                                assertEquals(b.limit(), b.position(), "the buffer is consumed");
                            }
                        }
                    }
                    assertArrayEquals(want, sink.toByteArray(), n + " bytes in pieces of " + piece);
                }
                assertArrayEquals(plain, open(make.apply(key, false), want));
            }
        }
    }

    private static byte[] open(Payload.ChunkCipher c, byte[] file) throws IOException {
        try (InputStream in = new Payload.Reader(new ByteArrayInputStream(file), c)) {
            return in.readAllBytes();
        }
    }
}
