package dev.kharden.age;

import dev.kharden.input.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads age key material in age's own text forms: identity files (what age-keygen writes: comment
 * lines, one {@code AGE-SECRET-KEY-...} per line) and recipients (an {@code age1...} string, or a
 * file of them). Bad lines become an {@link InputException} naming the file and line, never a trace.
 */
public final class AgeKeys {
    private AgeKeys() {
    }

    /** Parses one identity string (X25519 or post-quantum hybrid); null when it is neither. */
    public static Identity parseIdentity(String s) {
        String t = s.strip();
        if (t.startsWith(HybridIdentity.HRP + "1")) {
            return HybridIdentity.parse(t);
        }
        return X25519Identity.parse(t);
    }

    /** Reads every identity in an identity file. */
    public static List<Identity> readIdentities(Path file) {
        List<Identity> out = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Identity id = parseIdentity(line);
            if (id == null) {
                throw new InputException(file.toString(), i + 1, notAnIdentity(line));
            }
            out.add(id);
        }
        if (out.isEmpty()) {
            throw InputException.ofFile(file.toString(), "no identity in this file");
        }
        return out;
    }

    private static final String EXPECTED = "expected AGE-SECRET-KEY-1... or AGE-SECRET-KEY-PQ-1..., as age-keygen and kharden keygen write";

    /**
     * Why a line of an identity file is not an identity, saying what the file seems to be instead: a
     * passphrase-protected age identity (which age decrypts first), an SSH key or another PEM block
     * (which age's CLI may take but kharden does not), or anything else.
     */
    static String notAnIdentity(String line) {
        if (line.startsWith("age-encryption.org/") || line.equals("-----BEGIN AGE ENCRYPTED FILE-----")) {
            return "passphrase-protected identity files are not supported; decrypt it with age first";
        }
        if (line.startsWith("ssh-") || line.startsWith("ecdsa-sha2-")
                || line.equals("-----BEGIN OPENSSH PRIVATE KEY-----") || line.equals("-----BEGIN RSA PRIVATE KEY-----")) {
            return "an SSH key, and kharden takes age identities only (" + EXPECTED + ")";
        }
        if (line.startsWith("-----BEGIN ") && line.endsWith("-----") && line.length() > 16) {
            return "a PEM " + line.substring(11, line.length() - 5) + ", not an age identity (" + EXPECTED + ")";
        }
        return "not an age identity (" + EXPECTED + ")";
    }

    /** Parses a recipient string for sealing. */
    public static Recipient parseRecipient(String source, int line, String s) {
        String t = s.strip();
        if (t.startsWith("age1pq1")) {
            throw new InputException(source, line, "post-quantum (age1pq) recipients can be opened by kharden but not sealed to yet; use an X25519 age1... recipient");
        }
        if (t.toUpperCase(java.util.Locale.ROOT).startsWith("AGE-SECRET-KEY-")) {
            // never echoed: it is the key that opens every bundle sealed to it
            throw new InputException(source, line, "this is a secret key (an identity), not a recipient: seal to its "
                    + "public age1... recipient, which 'kharden keygen -y FILE' prints");
        }
        X25519Recipient r = X25519Recipient.parse(t);
        if (r == null) {
            throw new InputException(source, line, "not an age X25519 recipient (expected age1... as printed by age-keygen or kharden keygen): "
                    + (t.length() > 100 ? t.substring(0, 100) + "..." : t));
        }
        return r;
    }

    /** Reads a recipients file: one {@code age1...} per line, comments and blank lines allowed. */
    public static List<Recipient> readRecipients(Path file) {
        List<Recipient> out = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            out.add(parseRecipient(file.toString(), i + 1, line));
        }
        if (out.isEmpty()) {
            throw InputException.ofFile(file.toString(), "no recipient in this file");
        }
        return out;
    }

    private static List<String> readLines(Path file) {
        try {
            return dev.kharden.files.BoundedRead.readAllLines(file, 1 << 20, StandardCharsets.UTF_8);
        } catch (dev.kharden.files.BoundedRead.TooLarge e) {
            throw InputException.ofFile(file.toString(), "larger than 1 MiB; not a key file");
        } catch (NoSuchFileException e) {
            throw InputException.ofFile(file.toString(), "no such file");
        } catch (AccessDeniedException e) {
            throw InputException.ofFile(file.toString(), "permission denied");
        } catch (java.nio.charset.MalformedInputException e) {
            throw InputException.ofFile(file.toString(), "not a text key file");
        } catch (IOException e) {
            throw InputException.ofFile(file.toString(), "cannot read: " + e.getMessage());
        }
    }
}
