package dev.kharden.modsig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;

/**
 * Verifies an RSASSA-PKCS1-v1_5 signature over a digest already computed, exactly as the kernel's
 * rsa-pkcs1pad does for module signatures: the signature must be as long as the modulus and smaller
 * than it, and s^e mod n must be the block {@code 00 01 FF...FF 00 DigestInfo}, where DigestInfo is
 * the DER of (digest OID with NULL parameters, digest), compared byte for byte. Public data only, so
 * no constant-time concerns. One modular exponentiation per signature, nothing else: no provider
 * lookup, no key conversion, no second hash of the module.
 */
final class Pkcs1 {
    static boolean verifies(RSAPublicKey key, Algorithms.Digest digest, byte[] hash, byte[] signature) {
        return verifies(key, digest, hash, signature, null);
    }

    /** As above, with the modular exponentiation done by {@code crypto} when given and it takes the key. */
    static boolean verifies(RSAPublicKey key, Algorithms.Digest digest, byte[] hash, byte[] signature,
                            LibCrypto crypto) {
        byte[] modulus = Modulus.of(key);
        int k = modulus.length;
        if (signature.length != k || Arrays.compareUnsigned(signature, modulus) >= 0) {
            return false; // the length, and s < n as numbers: both k bytes big-endian, so bytewise
        }
        byte[] expected = encoded(digest, hash, k);
        if (expected == null) {
            return false;
        }
        byte[] raw = crypto == null ? null : crypto.rsaPublic(key, signature);
        if (raw != null) {
            return Arrays.equals(raw, expected);
        }
        byte[] m = new BigInteger(1, signature).modPow(key.getPublicExponent(), key.getModulus()).toByteArray();
        // toByteArray is minimal two's complement: the block starts 00 01, so it comes back k-1 bytes long.
        return m.length == k - 1 && Arrays.equals(m, 0, k - 1, expected, 1, k);
    }

    /** 00 01 FF.. 00 DigestInfo in {@code k} bytes, or null if the modulus is too small for it (>= 8 FF bytes). */
    static byte[] encoded(Algorithms.Digest digest, byte[] hash, int k) {
        byte[] info = digestInfo(digest, hash);
        int pad = k - 3 - info.length;
        if (pad < 8) {
            return null;
        }
        byte[] em = new byte[k];
        em[1] = 1;
        Arrays.fill(em, 2, 2 + pad, (byte) 0xff);
        System.arraycopy(info, 0, em, 3 + pad, info.length);
        return em;
    }

    /**
     * DER DigestInfo: SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING hash }. The bytes before the hash
     * depend only on the digest and the hash length (the kernel keeps them as fixed templates), so they
     * are encoded once per pair and the hash appended.
     */
    static byte[] digestInfo(Algorithms.Digest digest, byte[] hash) {
        Prefix last = lastPrefix;
        byte[] prefix = last != null && last.digest() == digest && last.hashLength() == hash.length ? last.bytes()
                : prefix(digest, hash.length);
        byte[] info = Arrays.copyOf(prefix, prefix.length + hash.length);
        System.arraycopy(hash, 0, info, prefix.length, hash.length);
        return info;
    }

    /** The DigestInfo bytes before a hash of this length, encoded once per pair. */
    private static byte[] prefix(Algorithms.Digest digest, int hashLength) {
        byte[] prefix = PREFIXES.computeIfAbsent(digest.oid() + "/" + hashLength, key -> {
            try {
                byte[] whole = new DigestInfo(new AlgorithmIdentifier(new ASN1ObjectIdentifier(digest.oid()),
                        DERNull.INSTANCE), new byte[hashLength]).getEncoded("DER");
                return Arrays.copyOf(whole, whole.length - hashLength);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        lastPrefix = new Prefix(digest, hashLength, prefix);
        return prefix;
    }

    private static final Map<String, byte[]> PREFIXES = new ConcurrentHashMap<>();

    /**
     * The prefix used last: a tree is signed with one digest, so this answers nearly every module
     * without building a map key (digests are the constants of {@link Algorithms}, compared by identity).
     */
    private record Prefix(Algorithms.Digest digest, int hashLength, byte[] bytes) {
    }

    private static volatile Prefix lastPrefix;

    /** A public key's modulus as exactly k big-endian bytes (k = its length in bytes), kept per key object. */
    static final class Modulus {
        private record Entry(RSAPublicKey key, byte[] bytes) {
        }

        private static volatile Entry last;

        static byte[] of(RSAPublicKey key) {
            Entry e = last;
            if (e != null && e.key() == key) {
                return e.bytes();
            }
            BigInteger n = key.getModulus();
            int k = (n.bitLength() + 7) / 8;
            byte[] raw = n.toByteArray(); // minimal two's complement: k bytes, or k + 1 with a leading 0
            byte[] bytes = raw.length == k ? raw : Arrays.copyOfRange(raw, raw.length - k, raw.length);
            last = new Entry(key, bytes);
            return bytes;
        }

        private Modulus() {
        }
    }

    private Pkcs1() {
    }
}
