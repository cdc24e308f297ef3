package dev.kharden.seal;

import dev.kharden.age.Age;
import dev.kharden.age.AgeException;
import dev.kharden.age.Identity;
import dev.kharden.input.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a sealed bundle: decrypts (age), walks the tar stream, hashes every entry, and checks the
 * result against MANIFEST.json and its signature. Security invariants: nothing is reported as
 * verified before the age payload authenticated to its final chunk (the stream is drained after
 * the tar end); entry names that could escape a folder (absolute, "..", empty segments) and every
 * entry that is not a plain file or folder (links, devices) are refused; every file must be listed
 * in the manifest with the same size and hash, and every listed file must be there.
 */
public final class BundleReader {
    /** Largest MANIFEST.json / MANIFEST.sig accepted. */
    static final int MAX_MANIFEST = 16 << 20;
    /** Largest entry {@link #open} keeps in memory; bigger ones are verified and dropped. */
    static final long MAX_IN_MEMORY = 512L << 20;

    /** Where {@link #scan} puts file contents: an output stream per file, or null to discard. */
    public interface EntrySink {
        OutputStream file(String name, long size) throws IOException;

        default void directory(String name) throws IOException {
        }
    }

    /** Signature state of a bundle. */
    public enum SignatureState { NONE, VALID }

    /**
     * The outcome of a successful scan: the manifest (null for a foreign tar), every file with its
     * size and hash, and the signer's raw Ed25519 public key when the manifest is signed.
     */
    public record Verified(Manifest manifest, List<Manifest.Entry> files, SignatureState signature, byte[] signerKey) {
        public String signerFingerprint() {
            return signerKey == null ? null : ManifestSignature.fingerprint(signerKey);
        }
    }

    private BundleReader() {
    }

    /** Opens a bundle with the given identities and keeps its entries in memory (for symbolize). */
    public static Bundle open(Path bundle, List<? extends Identity> identities) {
        Map<String, byte[]> kept = new LinkedHashMap<>();
        Verified v = decryptAndScan(bundle, identities, (name, size) -> size > MAX_IN_MEMORY ? null
                : new ByteArrayOutputStream((int) size) {
                    @Override
                    public void close() {
                        kept.put(name, toByteArray());
                    }
                });
        return new Bundle(v, kept);
    }

    /** Decrypts {@code bundle} and scans it; every failure is an InputException naming the bundle. */
    public static Verified decryptAndScan(Path bundle, List<? extends Identity> identities, EntrySink sink) {
        return decryptAndScan(bundle, identities, sink, ByteProgress.NONE);
    }

    /** As {@link #decryptAndScan(Path, List, EntrySink)}, reporting the bundle's bytes as they are read. */
    public static Verified decryptAndScan(Path bundle, List<? extends Identity> identities, EntrySink sink,
            ByteProgress progress) {
        String source = bundle.toString();
        try (FileChannel raw = FileChannel.open(bundle);
             ReadableByteChannel file = new Counting(raw, raw.size(), progress)) {
            return scan(Age.decrypt(file, identities), source, sink);
        } catch (NoSuchFileException e) {
            throw InputException.ofFile(source, "no such file");
        } catch (IOException e) {
            throw asInput(source, e);
        }
    }

    static InputException asInput(String source, IOException e) {
        if (e instanceof AgeException ae) {
            return new InputException(source, 0, ae.getMessage(), ae);
        }
        return new InputException(source, 0, e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }

    /** As {@link #scan}, with every read failure turned into an InputException naming {@code source}. */
    public static Verified scanChecked(InputStream plain, String source, EntrySink sink) {
        try {
            return scan(plain, source, sink);
        } catch (IOException e) {
            throw asInput(source, e);
        }
    }

    /** A tar stream is made of 512-byte blocks. */
    private static final int TAR_RECORD = 512;

    /** Walks the decrypted tar stream {@code plain} to its authenticated end and verifies it. */
    public static Verified scan(InputStream plain, String source, EntrySink sink) throws IOException {
        Map<String, Manifest.Entry> files = new LinkedHashMap<>();
        byte[] manifestBytes = null;
        byte[] sigBytes = null;
        byte[] buf = new byte[256 * 1024];
        NonClosing counted = new NonClosing(plain);
        TarArchiveInputStream tar = new TarArchiveInputStream(counted, "UTF-8");
        TarArchiveEntry e;
        int entries = 0;
        try (HashBehind hash = new HashBehind()) {
            while ((e = nextEntry(tar, source)) != null) {
                entries++;
                String name = checkName(e.getName(), source);
                if (e.isDirectory()) {
                    sink.directory(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                    continue;
                }
                // isFile() is also true of FIFOs and devices: each kind is refused by name
                if (!e.isFile() || e.isLink() || e.isSymbolicLink() || e.isFIFO() || e.isCharacterDevice()
                        || e.isBlockDevice()) {
                    throw new InputException(source, 0, "entry " + name + " is a link or special file: refused");
                }
                if (files.containsKey(name) || (name.equals(Manifest.NAME) && manifestBytes != null)
                        || (name.equals(Manifest.SIGNATURE_NAME) && sigBytes != null)) {
                    throw new InputException(source, 0, "entry " + name + " appears twice: refused");
                }
                if (name.equals(Manifest.NAME) || name.equals(Manifest.SIGNATURE_NAME)) {
                    byte[] data = tar.readNBytes(MAX_MANIFEST + 1);
                    if (data.length > MAX_MANIFEST) {
                        throw new InputException(source, 0, name + " is larger than " + (MAX_MANIFEST >> 20) + " MiB");
                    }
                    if (name.equals(Manifest.NAME)) {
                        manifestBytes = data;
                    } else {
                        sigBytes = data;
                    }
                    continue;
                }
                long size = 0;
                byte[] digest;
                try (OutputStream out = sink.file(name, e.getSize())) {
                    // This thread decrypts and parses the tar; the other hashes and writes out.
                    hash.start(out);
                    int n;
                    while ((n = tar.readNBytes(hash.buffer(), 0, HashBehind.BUFFER)) > 0) {
                        hash.submit(n);
                        size += n;
                    }
                    digest = hash.digest();
                }
                files.put(name, new Manifest.Entry(name, size, HexFormat.of().formatHex(digest), "", ""));
            }
        }
        // The tar end marker may come before the age stream's end: drain it, so the final chunk is
        // authenticated (and trailing data refused) before anything is called verified.
        while (counted.read(buf) >= 0) {
            // discard: tar padding after the end-of-archive blocks
        }
        if (entries == 0 && counted.count % TAR_RECORD != 0) {
            // A short payload ("hello") reads as a tar stream that ends at once: it is not one.
            throw new InputException(source, 0, "the decrypted content is not a tar stream (" + counted.count
                    + " bytes, no archive entry): not a kharden bundle");
        }
        Verified v = verify(source, files, manifestBytes, sigBytes);
        // The manifest and signature go out last, once verified: support keeps them with the files.
        for (Map.Entry<String, byte[]> meta : java.util.Arrays.asList(Map.entry(Manifest.NAME, orEmpty(manifestBytes)),
                Map.entry(Manifest.SIGNATURE_NAME, orEmpty(sigBytes)))) {
            if (meta.getValue().length == 0) {
                continue;
            }
            try (OutputStream out = sink.file(meta.getKey(), meta.getValue().length)) {
                if (out != null) {
                    out.write(meta.getValue());
                }
            }
        }
        return v;
    }

    private static byte[] orEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String source) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (AgeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InputException(source, 0, "the decrypted content is not a valid tar stream (" + e.getMessage() + ")");
        }
    }

    private static Verified verify(String source, Map<String, Manifest.Entry> files, byte[] manifestBytes, byte[] sigBytes)
            throws IOException {
        List<Manifest.Entry> list = new ArrayList<>(files.values());
        if (manifestBytes == null) {
            if (sigBytes != null) {
                throw new InputException(source, 0, "MANIFEST.sig without MANIFEST.json");
            }
            return new Verified(null, list, SignatureState.NONE, null);
        }
        Manifest m;
        try {
            m = Manifest.parse(manifestBytes);
        } catch (IOException e) {
            throw new InputException(source, 0, e.getMessage());
        }
        Map<String, Manifest.Entry> listed = new LinkedHashMap<>();
        for (Manifest.Entry me : m.entries()) {
            listed.put(me.name(), me);
        }
        for (Manifest.Entry seen : list) {
            Manifest.Entry me = listed.get(seen.name());
            if (me == null) {
                throw new InputException(source, 0, "entry " + seen.name() + " is not in the manifest");
            }
            if (me.size() != seen.size() || !me.sha256().equals(seen.sha256())) {
                throw new InputException(source, 0, "entry " + seen.name() + " does not match its manifest hash");
            }
        }
        for (String name : listed.keySet()) {
            if (!files.containsKey(name)) {
                throw new InputException(source, 0, "manifest lists " + name + " but the bundle lacks it");
            }
        }
        if (sigBytes == null) {
            return new Verified(m, list, SignatureState.NONE, null);
        }
        ManifestSignature.Parsed sig;
        try {
            sig = ManifestSignature.parse(sigBytes);
        } catch (IOException e) {
            throw new InputException(source, 0, e.getMessage());
        }
        if (!ManifestSignature.verify(sig, manifestBytes)) {
            throw new InputException(source, 0, "the manifest signature does not verify: the manifest was altered");
        }
        return new Verified(m, list, SignatureState.VALID, sig.publicKey());
    }

    /** A character no entry name may hold: a control character, or a backslash. */
    static boolean refusedInName(char c) {
        return c < 0x20 || c == 0x7f || c == '\\';
    }

    /**
     * Returns the name if it stays inside the extraction folder, else refuses it: no absolute
     * path, no "." or ".." segment, no empty segment, no backslash or control character.
     */
    static String checkName(String name, String source) {
        String why = null;
        if (name == null || name.isEmpty()) {
            why = "empty name";
        } else if (name.startsWith("/")) {
            why = "absolute path";
        } else {
            String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            for (String seg : trimmed.split("/", -1)) {
                if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                    why = "path with an empty, \".\" or \"..\" segment";
                    break;
                }
            }
            for (int i = 0; why == null && i < name.length(); i++) {
                if (refusedInName(name.charAt(i))) {
                    why = "control character or backslash in the name";
                }
            }
        }
        if (why != null) {
            throw new InputException(source, 0, "entry \"" + name + "\" would escape the output folder (" + why + "): refused");
        }
        return name;
    }

    /** Reports how many bytes of the bundle file were read. */
    private static final class Counting implements ReadableByteChannel {
        private final ReadableByteChannel in;
        private final long total;
        private final ByteProgress progress;
        private long done;

        Counting(ReadableByteChannel in, long total, ByteProgress progress) {
            this.in = in;
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = in.read(dst);
            if (n > 0) {
                done += n;
                progress.update(done, Math.max(done, total)); // a bundle that grew while read: never past 100%
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Leaves the decrypting stream open for the drain after the tar end, and counts the bytes read through it. */
    private static final class NonClosing extends java.io.FilterInputStream {
        long count;

        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public void close() {
        }
    }
}
