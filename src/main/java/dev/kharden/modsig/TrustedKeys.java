package dev.kharden.modsig;

import java.util.List;

/** The set of certificates a verification trusts, the offline stand-in for the kernel's keyrings. */
public record TrustedKeys(List<TrustedCert> certs) {
    public TrustedKeys {
        certs = List.copyOf(certs);
    }

    /** The trusted certificates a signer names (normally zero or one). */
    public List<TrustedCert> matching(Pkcs7Signature.Signer s) {
        // A loop, not a stream: this runs once per module, mostly before the JIT has compiled it.
        List<TrustedCert> out = null;
        for (TrustedCert c : certs) {
            if (c.matches(s)) {
                if (out == null) {
                    out = new java.util.ArrayList<>(1);
                }
                out.add(c);
            }
        }
        return out == null ? List.of() : List.copyOf(out);
    }
}
