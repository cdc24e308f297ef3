package dev.kharden.seal;

import dev.kharden.age.AgeOutput;
import dev.kharden.age.LibCrypto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a bundle's tar stream into an already-encrypting stream: entries as collectors hand them
 * over, then MANIFEST.json and, with a signing key, MANIFEST.sig. Each entry is hashed while it is
 * written, so nothing is read twice and nothing is buffered beyond one entry of /proc data. The tar
 * carries no owner names, ids or link entries: files are mode 0600, owned by 0:0.
 *
 * <p>Each entry is its header records ({@link TarHeader}, pax records included), then its bytes
 * straight into the cipher (a streamed file's from native read buffers), then zeros to the next
 * 512-byte record; the stream ends with the end-of-archive marker, and nothing pads it to a block
 * of several records. That is the tar commons-compress writes in its POSIX modes, byte for byte.
 */
final class BundleWriter implements Collector.Sink {
    private static final byte[] ZEROS = new byte[TarHeader.END_OF_ARCHIVE];
    private final AgeOutput encrypted;
    private final Instant now;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<Manifest.Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private String collector = "";
    private long bytes;
    private boolean inEntry;
    private ByteProgress progress = ByteProgress.NONE;
    private long progressTotal;
    private long progressDone;

    BundleWriter(AgeOutput encrypted, Instant now) {
        this.encrypted = encrypted;
        this.now = now;
    }

    /** Sets the collector id recorded for the entries and notes that follow. */
    void collector(String id) {
        this.collector = id;
    }

    List<Manifest.Entry> entries() {
        return entries;
    }

    List<String> notes() {
        return notes;
    }

    Map<String, String> facts() {
        return facts;
    }

    long bytes() {
        return bytes;
    }

    @Override
    public void add(String name, byte[] data, String source) throws IOException {
        MessageDigest sha = sha256();
        startEntry(name, data.length);
        encrypted.write(data);
        sha.update(data);
        endEntry(data.length);
        record(name, data.length, sha.digest(), source);
    }

    /**
     * Streams a regular file as entry {@code name}; a file that shrinks meanwhile is an error. The
     * file is read and hashed on a second thread while this one encrypts (see {@link ReadAhead}).
     */
    void addFile(String name, Path file, String source) throws IOException {
        long size = Files.size(file);
        startEntry(name, size);
        byte[] digest;
        // The first read fills the cipher's chunk that holds the header: later reads line up with its chunks.
        try (ReadAhead in = new ReadAhead(file, size, encrypted.chunkRoom(), sha256())) {
            for (ByteBuffer b = in.next(); b != null; b = in.next()) {
                progressDone += b.remaining();
                encrypted.writeNotLast(b); // the end-of-archive records always follow an entry's bytes
                progress.update(progressDone, progressTotal);
            }
            digest = in.digest();
        }
        endEntry(size);
        record(name, size, digest, source);
    }

    @Override
    public void addFile(String name, Path file) throws IOException {
        addFile(name, file, file.toString());
    }

    @Override
    public void fact(String key, String value) {
        facts.put(key, value);
    }

    @Override
    public void note(String text) {
        notes.add(text);
    }

    /** Writes the header records of an entry: a 0600 file owned by 0:0, modified at the seal time. */
    private void startEntry(String name, long size) throws IOException {
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate bundle entry " + name);
        }
        byte[] header = TarHeader.file(name, size, now.getEpochSecond());
        inEntry = true;
        encrypted.write(header);
    }

    /** Ends an entry of {@code size} bytes with zeros to the next record. */
    private void endEntry(long size) throws IOException {
        encrypted.write(ZEROS, 0, TarHeader.padding(size));
    }

    /** From now on, reports the bytes of streamed files against {@code total} (the sealer's extra files). */
    void progress(ByteProgress p, long total) {
        progress = p;
        progressTotal = total;
        progressDone = 0;
    }

    /** True while an entry is half written: a failure then is fatal for the whole bundle. */
    boolean inEntry() {
        return inEntry;
    }

    private void record(String name, long size, byte[] sha256, String source) {
        inEntry = false;
        bytes += size;
        entries.add(new Manifest.Entry(name, size, HexFormat.of().formatHex(sha256), source, collector));
    }

    /** Writes the manifest (and its signature), ends the tar stream and closes the sink. */
    Manifest finish(String generator, PrivateKey signingKey) throws IOException {
        Manifest m = new Manifest(Manifest.SCHEMA, now.toString(), generator, facts, notes, entries);
        byte[] json = m.toJson();
        writeRaw(Manifest.NAME, json);
        if (signingKey != null) {
            writeRaw(Manifest.SIGNATURE_NAME, ManifestSignature.sign(signingKey, json));
        }
        encrypted.write(ZEROS);
        encrypted.close();
        return m;
    }

    private void writeRaw(String name, byte[] data) throws IOException {
        startEntry(name, data.length);
        encrypted.write(data);
        endEntry(data.length);
        inEntry = false;
    }

    /** SHA-256 for the manifest: libcrypto's when present (no JIT warm-up), else the JDK's. */
    static MessageDigest sha256() {
        return LibCrypto.sha256();
    }
}
