package dev.kharden.livepatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.modsig.Algorithms;
import dev.kharden.modsig.ModuleImage;
import dev.kharden.modsig.ModuleSigner;
import dev.kharden.modsig.TestKeys;
import dev.kharden.modsig.TrustedKeys;
import dev.kharden.modsig.Verifier;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live-patch policy: marked, built for this kernel, validly signed by an allowed key; every refusal named. */
class LivepatchPolicyTest {
    static final String RELEASE = "6.1.0-56-amd64";
    static TestKeys.Key vendor;
    static TestKeys.Key other;

    @BeforeAll
    static void keys() throws Exception {
        vendor = TestKeys.rsa("livepatch vendor");
        other = TestKeys.ec("someone else");
    }

    static ModuleImage module(TestKeys.Key by, String... modinfo) throws Exception {
        byte[] m = TestKeys.elfModule(List.of(modinfo));
        if (by != null) {
            m = ModuleSigner.sign(m, new ModuleSigner.Options(by.pair().getPrivate(), by.cert(),
                    Algorithms.digestByName("sha256"), false));
        }
        return ModuleImage.of("patch.ko", m, 1 << 20);
    }

    static List<String> refusals(LivepatchPolicy.Decision d) {
        return d.refusals().stream().map(r -> r.condition().id()).toList();
    }

    LivepatchPolicy policy(List<String> allowed) {
        return new LivepatchPolicy(RELEASE, new Verifier(new TrustedKeys(List.of(vendor.cert(), other.cert()))), allowed);
    }

    @Test
    void aMarkedPatchForThisKernelSignedByAnAllowedKeyPasses() throws Exception {
        LivepatchPolicy.Decision d = policy(List.of(vendor.cert().sha256Fingerprint()))
                .check(module(vendor, "livepatch=Y", "vermagic=" + RELEASE + " SMP preempt mod_unload"));
        assertThat(d.pass()).isTrue();
        assertThat(d.refusals()).isEmpty();
        assertThat(policy(List.of(vendor.cert().subjectKeyIdHex()))
                .check(module(vendor, "livepatch=Y", "vermagic=" + RELEASE)).pass()).isTrue();
    }

    @Test
    void eachFailedConditionIsNamed() throws Exception {
        LivepatchPolicy p = policy(List.of(vendor.cert().sha256Fingerprint()));
        assertThat(refusals(p.check(module(vendor, "vermagic=" + RELEASE)))).containsExactly("marked-livepatch");
        assertThat(refusals(p.check(module(vendor, "livepatch=Y", "vermagic=6.1.0-55-amd64 SMP"))))
                .containsExactly("built-for-kernel");
        assertThat(refusals(p.check(module(null, "livepatch=Y", "vermagic=" + RELEASE))))
                .containsExactly("valid-signature");
        assertThat(refusals(p.check(module(other, "livepatch=Y", "vermagic=" + RELEASE))))
                .containsExactly("allowed-signer");
        assertThat(refusals(p.check(module(null, "license=GPL"))))
                .containsExactly("marked-livepatch", "built-for-kernel", "valid-signature");
    }

    @Test
    void withoutAnAllowListAnyTrustedKeyPassesButUntrustedDoesNot() throws Exception {
        assertThat(policy(List.of()).check(module(other, "livepatch=Y", "vermagic=" + RELEASE)).pass()).isTrue();
        TestKeys.Key stranger = TestKeys.rsa("stranger");
        LivepatchPolicy.Decision d = policy(List.of()).check(module(stranger, "livepatch=Y", "vermagic=" + RELEASE));
        assertThat(refusals(d)).containsExactly("valid-signature");
        assertThat(d.refusals().getFirst().reason()).contains("unknown-key");
    }
}
