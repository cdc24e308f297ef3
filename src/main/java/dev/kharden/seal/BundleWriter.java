package dev.kharden.seal;

import dev.kharden.age.AgeOutput;
import dev.kharden.age.LibCrypto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a bundle's tar stream into an already-encrypting stream: entries as collectors hand them
 * over, then MANIFEST.json and, with a signing key, MANIFEST.sig. Each entry is hashed while it is
 * written, so nothing is read twice and nothing is buffered beyond one entry of /proc data. The tar
 * carries no owner names, ids or link entries: files are mode 0600, owned by 0:0.
 *
 * <p>Each entry is framed as commons-compress's tar stream frames it, without passing its bytes
 * through that stream's buffers: its header records come from commons-compress (a scratch stream
 * that writes only them, PAX records included), then its bytes go straight into the cipher (a
 * streamed file's from native read buffers), then zeros to the next 512-byte record. The bundle's
 * own tar stream writes only the end-of-archive marker, in 512-byte records, so nothing pads it to
 * a block of several.
 */
final class BundleWriter implements Collector.Sink, AutoCloseable {
    private static final byte[] ZEROS = new byte[TarConstants.DEFAULT_RCDSIZE];
    private final AgeOutput encrypted;
    /** The bundle's tar stream: it holds no entry, and writes the end-of-archive marker. */
    private final TarArchiveOutputStream tar;
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
        this.tar = tar(encrypted);
        this.now = now;
    }

    /** A tar stream as bundles have it: PAX headers for long names and big numbers, UTF-8, 512-byte records. */
    private static TarArchiveOutputStream tar(OutputStream out) {
        TarArchiveOutputStream t = new TarArchiveOutputStream(out, TarConstants.DEFAULT_RCDSIZE, "UTF-8");
        t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return t;
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
        try (ReadAhead in = new ReadAhead(file, size)) {
            for (ByteBuffer b = in.next(); b != null; b = in.next()) {
                progressDone += b.remaining();
                encrypted.write(b);
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

    /** Writes an entry's header records, as commons-compress writes them. */
    private void startEntry(String name, long size) throws IOException {
        TarArchiveEntry e = entry(name, size);
        // A scratch tar stream writes the header records; it is then dropped with its entry open.
        ByteArrayOutputStream header = new ByteArrayOutputStream(2 * TarConstants.DEFAULT_RCDSIZE);
        tar(header).putArchiveEntry(e);
        inEntry = true;
        encrypted.write(header.toByteArray());
    }

    /** Ends an entry of {@code size} bytes with zeros to the next record. */
    private void endEntry(long size) throws IOException {
        encrypted.write(ZEROS, 0, (int) (-size & (TarConstants.DEFAULT_RCDSIZE - 1)));
    }

    /** The tar entry of a new bundle entry: a 0600 file owned by 0:0, modified at the seal time. */
    private TarArchiveEntry entry(String name, long size) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate bundle entry " + name);
        }
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        e.setMode(0100600);
        e.setModTime(now.toEpochMilli());
        e.setIds(0, 0);
        e.setNames("", "");
        return e;
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
        tar.finish();
        tar.close();
        return m;
    }

    private void writeRaw(String name, byte[] data) throws IOException {
        startEntry(name, data.length);
        encrypted.write(data);
        endEntry(data.length);
        inEntry = false;
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }

    /** SHA-256 for the manifest: libcrypto's when present (no JIT warm-up), else the JDK's. */
    static MessageDigest sha256() {
        return LibCrypto.sha256();
    }
}
