package dev.kharden.modsig;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bytes a module signature covers (everything before the PKCS#7 blob), reduced to the one thing
 * the check needs: their digest. Each digest is computed once, however many signers or keys are
 * tried. A module on disk is hashed straight from the file in one pass through a small buffer, so a
 * tree of modules is read once and never held in memory whole.
 */
abstract sealed class SignedContent {
    private Algorithms.Digest last;
    private byte[] lastDigest;

    /**
     * The digest of the signed content, through {@code crypto} when given (and it knows the digest),
     * else the JDK; a read failure is the module's own (unreadable) status.
     */
    final byte[] digest(Algorithms.Digest d, LibCrypto crypto) throws Rejected {
        if (d != last && crypto != null) {
            try (dev.kharden.crypto.NativeDigest h = crypto.hash(d.name())) {
                if (h != null) {
                    feed(h, crypto);
                    lastDigest = h.finish();
                    last = d;
                }
            } catch (IllegalStateException e) {
                // A libcrypto call refused (it should not): the JDK below computes the same digest.
            }
        }
        if (d != last) {
            MessageDigest md;
            try {
                md = MessageDigest.getInstance(d.jdkName());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks " + d.jdkName(), e);
            }
            feed(md);
            lastDigest = md.digest();
            last = d;
        }
        return lastDigest;
    }

    abstract void feed(MessageDigest md) throws Rejected;

    abstract void feed(dev.kharden.crypto.NativeDigest h, LibCrypto crypto) throws Rejected;

    /** Content already in memory: bytes [0, length) of an array. */
    static final class InMemory extends SignedContent {
        private final byte[] bytes;
        private final int length;

        InMemory(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        @Override
        void feed(MessageDigest md) {
            md.update(bytes, 0, length);
        }

        @Override
        void feed(dev.kharden.crypto.NativeDigest h, LibCrypto crypto) {
            h.update(bytes, 0, length);
        }
    }

    /** Bytes [0, length) of an open file, read in order through {@code buffer}. */
    static final class InFile extends SignedContent {
        private final FileChannel channel;
        private final long length;
        private final byte[] buffer;

        InFile(FileChannel channel, long length, byte[] buffer) {
            this.channel = channel;
            this.length = length;
            this.buffer = buffer;
        }

        @Override
        void feed(MessageDigest md) throws Rejected {
            ByteBuffer bb = ByteBuffer.wrap(buffer);
            long at = 0;
            try {
                while (at < length) {
                    bb.clear().limit((int) Math.min(buffer.length, length - at));
                    int n = channel.read(bb, at);
                    if (n < 0) {
                        throw new Rejected(KernelErrno.EIO, "file shrank while being read");
                    }
                    md.update(buffer, 0, n);
                    at += n;
                }
            } catch (IOException e) {
                throw ModuleImage.rejected(e);
            }
        }

        /** Read straight into native memory and hashed there: one copy from the page cache. */
        @Override
        void feed(dev.kharden.crypto.NativeDigest h, LibCrypto crypto) throws Rejected {
            MemorySegment seg = crypto.buffer();
            ByteBuffer bb = seg.asByteBuffer();
            long at = 0;
            try {
                while (at < length) {
                    bb.clear().limit((int) Math.min(bb.capacity(), length - at));
                    int n = channel.read(bb, at);
                    if (n < 0) {
                        throw new Rejected(KernelErrno.EIO, "file shrank while being read");
                    }
                    h.update(seg, n);
                    at += n;
                }
            } catch (IOException e) {
                throw ModuleImage.rejected(e);
            }
        }
    }
}
