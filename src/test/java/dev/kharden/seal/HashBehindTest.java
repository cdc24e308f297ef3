package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HashBehindTest {
    @Test
    void hashesAndCopiesEveryBufferInOrderAcrossEntries() throws Exception {
        Random rnd = new Random(5);
        try (HashBehind hash = new HashBehind()) {
            for (int size : new int[] {0, 1, HashBehind.BUFFER, 3 * HashBehind.BUFFER + 17}) {
                byte[] data = new byte[size];
                rnd.nextBytes(data);
                ByteArrayOutputStream copy = new ByteArrayOutputStream();
                hash.start(copy);
                for (int off = 0; off < size;) {
                    // uneven pieces: the two buffers alternate with different fill levels
                    int n = Math.min(size - off, 1 + rnd.nextInt(HashBehind.BUFFER));
                    System.arraycopy(data, off, hash.buffer(), 0, n);
                    hash.submit(n);
                    off += n;
                }
                assertThat(hash.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
                assertThat(copy.toByteArray()).isEqualTo(data);
            }
        }
    }

    @Test
    void aFailedWriteSurfacesAsTheIOException() throws Exception {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        try (HashBehind hash = new HashBehind()) {
            hash.start(broken);
            hash.submit(10);
            assertThatThrownBy(hash::digest).isInstanceOf(IOException.class).hasMessage("disk full");
        }
    }
}
