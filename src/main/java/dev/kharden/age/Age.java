package dev.kharden.age;

import dev.kharden.crypto.Randomness;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * age v1 (age-encryption.org/v1) file encryption: the two entry points, {@link #encrypt} and
 * {@link #decrypt}. Both stream: memory is a few 64 KiB buffers however large the file.
 *
 * <p>Security invariants: the file key is fresh per file and the payload nonce fresh per file
 * (both from {@link Randomness}); the header MAC is verified before any payload byte is released;
 * payload bytes are released one authenticated chunk at a time, and end-of-file is reported only
 * after the final chunk authenticated, so a reader that sees EOF saw the whole, unaltered file.
 * age authenticates the file to the key, not the sender: anyone with the recipient's public key can
 * write a file that decrypts cleanly.
 */
public final class Age {
    private Age() {
    }


    /**
     * Returns a stream that encrypts what is written to it into {@code dst}, to every recipient.
     * Closing it writes the final chunk and closes {@code dst}; not closing it leaves a truncated
     * file that every reader rejects.
     */
    public static AgeOutput encrypt(OutputStream dst, List<? extends Recipient> recipients) throws IOException {
        return encrypt(Channels.newChannel(dst), recipients);
    }

    /**
     * As {@link #encrypt(OutputStream, List)}, into a channel: the sealed chunks go to it about 1 MiB
     * at a time, straight from native memory when the channel is a file's.
     */
    public static AgeOutput encrypt(WritableByteChannel dst, List<? extends Recipient> recipients) throws IOException {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("at least one recipient is needed");
        }
        byte[] fileKey = new byte[16];
        Randomness.fill(fileKey);
        List<Stanza> stanzas = new ArrayList<>();
        for (Recipient r : recipients) {
            stanzas.add(r.wrap(fileKey));
        }
        byte[] nonce = new byte[Payload.NONCE];
        Randomness.fill(nonce);
        ByteBuffer start = ByteBuffer.wrap(Primitives.concat(Header.encode(stanzas, fileKey), nonce));
        while (start.hasRemaining()) {
            dst.write(start);
        }
        return new Payload.Writer(dst, Payload.payloadKey(fileKey, nonce));
    }

    /**
     * Opens an age file (binary or ASCII-armored) with the first identity that unwraps its file key.
     * Header problems, a wrong key and a bad MAC are thrown here, before any plaintext; payload
     * problems are thrown by the returned stream's {@code read}.
     */
    public static InputStream decrypt(InputStream src, List<? extends Identity> identities) throws IOException {
        return decrypt(src, Channels.newChannel(src), identities);
    }

    /**
     * As {@link #decrypt(InputStream, List)}, from a channel: a binary file's payload is read from it
     * about 1 MiB at a time, straight into native memory when the channel is a file's.
     */
    public static InputStream decrypt(ReadableByteChannel src, List<? extends Identity> identities) throws IOException {
        return decrypt(Channels.newInputStream(src), src, identities);
    }

    /** {@code stream} and {@code channel} read the same source: the header through one, the payload through the other. */
    private static InputStream decrypt(InputStream stream, ReadableByteChannel channel, List<? extends Identity> identities)
            throws IOException {
        // A buffer smaller than a payload chunk: the header is read through it, and the payload
        // reader takes what it holds beyond the header, then reads the channel itself.
        HeaderInput in = new HeaderInput(stream);
        byte[] start = new byte[1024];
        in.mark(start.length);
        int n = in.readNBytes(start, 0, start.length);
        in.reset();
        InputStream body = in;
        if (ArmorReader.looksArmored(start, n)) {
            body = new BufferedInputStream(new ArmorReader(in), Payload.ENC_CHUNK + 1);
        }
        Header header = Header.parse(body);
        for (Stanza s : header.stanzas()) {
            // An scrypt stanza promises that only the passphrase holder wrote the file; a second
            // stanza would let any other recipient forge that.
            if (s.type().equals("scrypt") && header.stanzas().size() != 1) {
                throw Header.fail("an scrypt stanza must be the only stanza in the header");
            }
        }
        byte[] fileKey = null;
        for (Identity id : identities) {
            fileKey = id.unwrap(header.stanzas());
            if (fileKey != null) {
                break;
            }
        }
        if (fileKey == null) {
            throw new AgeException(AgeException.Kind.NO_MATCH,
                    "the " + identities.size() + (identities.size() == 1 ? " identity" : " identities")
                            + " given cannot open this file (it is sealed to "
                            + describe(header.stanzas()) + ")");
        }
        if (!header.macMatches(fileKey)) {
            throw new AgeException(AgeException.Kind.HMAC, "the header was altered after it was written");
        }
        byte[] nonce = body.readNBytes(Payload.NONCE);
        if (nonce.length != Payload.NONCE) {
            throw Header.fail("file ends before the payload nonce");
        }
        ReadableByteChannel payload = body == in ? in.rest(channel) : Channels.newChannel(body);
        return new Payload.Reader(payload, Payload.payloadKey(fileKey, nonce));
    }

    /** A buffered reader of the header that gives up what it read beyond it. */
    private static final class HeaderInput extends BufferedInputStream {
        HeaderInput(InputStream src) {
            super(src, 8192);
        }

        /** The bytes read from the source but not from this stream, then the rest of the source. */
        ReadableByteChannel rest(ReadableByteChannel source) {
            ByteBuffer held = ByteBuffer.wrap(buf, pos, count - pos);
            return new ReadableByteChannel() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    if (!held.hasRemaining()) {
                        return source.read(dst);
                    }
                    int n = Math.min(held.remaining(), dst.remaining());
                    dst.put(held.slice(held.position(), n));
                    held.position(held.position() + n);
                    return n;
                }

                @Override
                public boolean isOpen() {
                    return source.isOpen();
                }

                @Override
                public void close() throws IOException {
                    source.close();
                }
            };
        }
    }

    private static String describe(List<Stanza> stanzas) {
        StringBuilder sb = new StringBuilder();
        sb.append(stanzas.size()).append(stanzas.size() == 1 ? " recipient: " : " recipients: ");
        List<String> types = stanzas.stream().map(Stanza::type).distinct().toList();
        sb.append(String.join(", ", types));
        return sb.toString();
    }
}
