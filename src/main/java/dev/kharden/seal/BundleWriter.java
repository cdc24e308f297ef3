package dev.kharden.seal;

import dev.kharden.age.LibCrypto;
import java.io.IOException;
import java.io.OutputStream;
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

/**
 * Writes a bundle's tar stream into an already-encrypting stream: entries as collectors hand them
 * over, then MANIFEST.json and, with a signing key, MANIFEST.sig. Each entry is hashed while it is
 * written, so nothing is read twice and nothing is buffered beyond one entry of /proc data. The tar
 * carries no owner names, ids or link entries: files are mode 0600, owned by 0:0.
 */
final class BundleWriter implements Collector.Sink, AutoCloseable {
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

    BundleWriter(OutputStream encrypted, Instant now) {
        this.tar = new TarArchiveOutputStream(encrypted, 64 * 1024, "UTF-8");
        this.tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        this.tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
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
        tar.write(data);
        sha.update(data);
        tar.closeArchiveEntry();
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
            for (byte[] b = in.next(); b != null; b = in.next()) {
                tar.write(b, 0, in.length());
                progressDone += in.length();
                progress.update(progressDone, progressTotal);
            }
            digest = in.digest();
        }
        tar.closeArchiveEntry();
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

    private void startEntry(String name, long size) throws IOException {
        if (!names.add(name)) {
            throw new IllegalArgumentException("duplicate bundle entry " + name);
        }
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(size);
        e.setMode(0100600);
        e.setModTime(now.toEpochMilli());
        e.setIds(0, 0);
        e.setNames("", "");
        tar.putArchiveEntry(e);
        inEntry = true;
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
        tar.write(data);
        tar.closeArchiveEntry();
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
