package dev.kharden.modsig;

import dev.kharden.input.InputException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Loads the private key sign-file would use: PEM ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY",
 * possibly in the same file as the certificate, like the kernel's signing_key.pem) or PKCS#8 DER.
 * Encrypted keys and PKCS#11 URIs are refused with a reason (sign-file supports them; kharden does not).
 */
public final class SigningKey {
    public static PrivateKey read(Path path) {
        String name = path.toString();
        if (name.startsWith("pkcs11:")) {
            throw InputException.ofFile(name, "PKCS#11 keys are not supported; export the key or use sign-file");
        }
        byte[] raw = BoundedFile.read(path, 1 << 20, "a private key");
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        try {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            if (!text.contains("-----BEGIN ")) {
                PrivateKeyInfo der;
                try {
                    der = PrivateKeyInfo.getInstance(raw);
                } catch (RuntimeException e) {
                    throw InputException.ofFile(name, "not a private key: neither PEM nor DER (PKCS#8)");
                }
                return conv.getPrivateKey(der);
            }
            try (PEMParser p = new PEMParser(new StringReader(text))) {
                Object o;
                while ((o = p.readObject()) != null) {
                    if (o instanceof PEMKeyPair kp) {
                        return conv.getKeyPair(kp).getPrivate();
                    }
                    if (o instanceof PrivateKeyInfo pki) {
                        return conv.getPrivateKey(pki);
                    }
                    if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                        throw InputException.ofFile(name, "the private key is encrypted; decrypt it first "
                                + "(openssl pkey -in KEY -out PLAIN.pem)");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw InputException.ofFile(name, "cannot read the private key (" + e.getMessage() + ")");
        }
        throw InputException.ofFile(name, "holds no private key");
    }

    private SigningKey() {
    }
}
