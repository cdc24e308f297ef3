package dev.kharden.modsig;

import java.util.List;

/** The set of certificates a verification trusts, the offline stand-in for the kernel's keyrings. */
public record TrustedKeys(List<TrustedCert> certs) {
    public TrustedKeys {
        certs = List.copyOf(certs);
    }

    /** The trusted certificates a signer names (normally zero or one). */
    public List<TrustedCert> matching(Pkcs7Signature.Signer s) {
        return certs.stream().filter(c -> c.matches(s)).toList();
    }
}
