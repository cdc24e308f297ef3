package dev.kharden.age;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Fuzz targets for the age decoder: header and stanza parsing, the armor reader, STREAM decryption
 * with a known key, and whole-file decryption. Invariant: bad input only ever yields an
 * {@link AgeException} of the layer's kind, never another exception, and memory stays bounded.
 */
class AgeFuzz {
    private static final X25519Identity ID = X25519Identity.parse(
            "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX");
    private static final byte[] KEY = new byte[32];
    private static final byte[] VALID;

    static {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (OutputStream out = Age.encrypt(b, List.of(ID.recipient()))) {
                out.write("payload".getBytes());
            }
            VALID = b.toByteArray();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void headerParser(byte[] data) {
        try {
            Header h = Header.parse(new ByteArrayInputStream(data));
            assertThat(h.stanzas()).isNotEmpty();
        } catch (AgeException e) {
            assertThat(e.kind()).isEqualTo(AgeException.Kind.HEADER);
        } catch (IOException e) {
            throw new AssertionError("unexpected I/O error from a byte array", e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void armorReader(byte[] data) {
        try (InputStream in = new ArmorReader(new ByteArrayInputStream(data))) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (AgeException e) {
            assertThat(e.kind()).isEqualTo(AgeException.Kind.ARMOR);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @FuzzTest(maxDuration = "15s")
    void streamWithKnownKey(byte[] data) {
        try (InputStream in = new Payload.Reader(new ByteArrayInputStream(data), KEY)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (AgeException e) {
            assertThat(e.kind()).isEqualTo(AgeException.Kind.PAYLOAD);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Whole files: either raw fuzz bytes or a valid file with fuzzed bytes spliced in. */
    @FuzzTest(maxDuration = "15s")
    void decryptFile(FuzzedDataProvider p) {
        byte[] input;
        if (p.consumeBoolean()) {
            input = VALID.clone();
            int at = p.consumeInt(0, input.length - 1);
            byte[] patch = p.consumeBytes(16);
            System.arraycopy(patch, 0, input, at, Math.min(patch.length, input.length - at));
            input = java.util.Arrays.copyOf(input, Math.max(0, input.length - p.consumeInt(0, 40)));
        } else {
            input = p.consumeRemainingAsBytes();
        }
        try (InputStream in = Age.decrypt(new ByteArrayInputStream(input), List.of(ID))) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (AgeException e) {
            assertThat(e.kind()).isNotNull();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
