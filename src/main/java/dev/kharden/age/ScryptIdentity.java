package dev.kharden.age;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * A passphrase, for age's scrypt recipient type (decryption only: kharden seals to public keys).
 * The work factor is capped because it is chosen by whoever wrote the file: 2^N iterations and
 * 2^N KiB of memory, so an unbounded N is a denial of service.
 */
public final class ScryptIdentity implements Identity {
    /** age's own default cap; 2^22 KiB = 4 GiB is already more than a default JVM heap. */
    public static final int MAX_WORK_FACTOR = 22;
    private static final byte[] LABEL = "age-encryption.org/v1/scrypt".getBytes(StandardCharsets.US_ASCII);

    private final byte[] passphrase;

    public ScryptIdentity(String passphrase) {
        this.passphrase = passphrase.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] unwrap(List<Stanza> stanzas) throws AgeException {
        for (Stanza s : stanzas) {
            if (!s.type().equals("scrypt")) {
                continue;
            }
            if (s.args().size() != 3) {
                throw Header.fail("scrypt stanza must have exactly two arguments");
            }
            byte[] salt = Base64Strict.decode(s.args().get(1));
            if (salt == null || salt.length != 16) {
                throw Header.fail("scrypt salt is not 16 bytes of canonical base64");
            }
            String wf = s.args().get(2);
            if (!wf.matches("[1-9][0-9]?")) {
                throw Header.fail("scrypt work factor is not a decimal number without leading zeros");
            }
            int logN = Integer.parseInt(wf);
            if (logN > MAX_WORK_FACTOR) {
                throw Header.fail("scrypt work factor " + logN + " is above the limit of " + MAX_WORK_FACTOR);
            }
            byte[] body = s.body();
            if (body.length != 32) {
                throw Header.fail("scrypt stanza body is not 32 bytes");
            }
            byte[] wrapKey = SCrypt.generate(passphrase, Primitives.concat(LABEL, salt), 1 << logN, 8, 1, 32);
            byte[] fileKey = Primitives.open(wrapKey, new byte[12], body);
            if (fileKey != null) {
                return fileKey;
            }
        }
        return null;
    }
}
