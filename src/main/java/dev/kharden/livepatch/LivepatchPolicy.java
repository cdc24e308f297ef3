package dev.kharden.livepatch;

import dev.kharden.input.InputException;
import dev.kharden.modsig.AppendedSignature;
import dev.kharden.modsig.ModuleImage;
import dev.kharden.modsig.ModuleInfo;
import dev.kharden.modsig.Status;
import dev.kharden.modsig.TrustedCert;
import dev.kharden.modsig.Verdict;
import dev.kharden.modsig.Verifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a module may be applied as a live patch: a live patch is a kernel module, so from
 * outside it looks like a rootkit; this policy accepts it only when all three hold:
 * <ol>
 *   <li>it is marked as a live patch (modinfo {@code livepatch=Y}, set by MODULE_INFO(livepatch, "Y"));</li>
 *   <li>it is built for the running kernel (the first word of vermagic equals the kernel release);</li>
 *   <li>its signature is valid, by the kernel's rules, and made by an allowed key.</li>
 * </ol>
 * Every failed condition is reported, not just the first, so one run says everything to fix.
 * Allowed signers are matched by SHA-256 certificate fingerprint, subject key id or serial number.
 */
public final class LivepatchPolicy {
    /** A condition of the policy, with a stable id for reports. */
    public enum Condition {
        MARKED("marked-livepatch"),
        RELEASE("built-for-kernel"),
        SIGNATURE("valid-signature"),
        SIGNER("allowed-signer");

        private final String id;

        Condition(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** One failed condition and why. */
    public record Refusal(Condition condition, String reason) {
    }

    /** The decision for one module. */
    public record Decision(String path, boolean pass, List<Refusal> refusals, Verdict verdict, String vermagic,
                           boolean marked) {
    }

    private final String release;
    private final Verifier verifier;
    private final List<String> allowed;

    /**
     * @param allowed normalised hex identifiers (fingerprints, key ids, serials); empty means any
     *                trusted key is allowed
     */
    public LivepatchPolicy(String release, Verifier verifier, List<String> allowed) {
        this.release = release;
        this.verifier = verifier;
        this.allowed = allowed.stream().map(LivepatchPolicy::normalise).toList();
    }

    public static String normalise(String hex) {
        return hex.replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
    }

    public Decision check(ModuleImage m) {
        List<Refusal> refusals = new ArrayList<>();
        ModuleInfo info = null;
        try {
            info = ModuleInfo.parse(m.name(), m.bytes(), AppendedSignature.signedLength(m.bytes()));
        } catch (InputException e) {
            refusals.add(new Refusal(Condition.MARKED, "cannot read the module's ELF/modinfo: " + e.reason()));
        }
        boolean marked = info != null && "Y".equals(info.get("livepatch"));
        if (info != null && !marked) {
            refusals.add(new Refusal(Condition.MARKED, "modinfo has no livepatch=Y: not built as a live patch"));
        }
        String vermagic = info == null ? null : info.get("vermagic");
        String built = info == null ? null : info.kernelRelease();
        if (info != null && !release.equals(built)) {
            refusals.add(new Refusal(Condition.RELEASE, built == null ? "modinfo has no vermagic"
                    : "built for " + built + ", not " + release + " (vermagic: " + vermagic + ")"));
        }
        Verdict v = verifier.verify(m);
        if (v.status() != Status.VALID) {
            refusals.add(new Refusal(Condition.SIGNATURE, v.status().word() + " (" + v.errno() + "): " + v.reason()));
        } else if (!allowed.isEmpty() && !isAllowed(v.signedBy())) {
            refusals.add(new Refusal(Condition.SIGNER, "signed by " + v.signedBy().subject() + " (sha256 "
                    + v.signedBy().sha256Fingerprint() + "), which is not an allowed signer"));
        }
        return new Decision(m.name(), refusals.isEmpty(), List.copyOf(refusals), v, vermagic, marked);
    }

    private boolean isAllowed(TrustedCert c) {
        List<String> ids = new ArrayList<>();
        ids.add(normalise(c.sha256Fingerprint()));
        ids.add(normalise(c.serialHex()));
        if (c.subjectKeyIdHex() != null) {
            ids.add(normalise(c.subjectKeyIdHex()));
        }
        return ids.stream().anyMatch(allowed::contains);
    }
}
