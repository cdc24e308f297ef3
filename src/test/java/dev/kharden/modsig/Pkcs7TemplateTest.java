package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parse template: same result as a fresh parse for a new signature value, never for other changes. */
class Pkcs7TemplateTest {
    @Test
    void aParseFromTheTemplateEqualsAFreshParse() throws Exception {
        TestKeys.Key key = TestKeys.rsa("template test");
        byte[] module = TestKeys.elfModule(List.of("name=t", "vermagic=6.1 SMP"));
        byte[] signed = ModuleSigner.sign(module, new ModuleSigner.Options(key.pair().getPrivate(), key.cert(),
                Algorithms.digestByName("sha256"), false));
        byte[] blob = Arrays.copyOfRange(signed, module.length, signed.length - 40);
        int sigLen = Pkcs7Signature.parseFresh(blob, 0, blob.length).signers().getFirst().signature().length;
        Pkcs7Signature.parse(blob, 0, blob.length);

        byte[] otherValue = blob.clone();
        otherValue[blob.length - 1] ^= 1;
        otherValue[blob.length - sigLen] ^= (byte) 0x80;
        byte[] otherSerial = blob.clone();
        otherSerial[blob.length - sigLen - 40] ^= 1;
        for (byte[] b : List.of(blob, otherValue, otherSerial)) {
            byte[] framed = new byte[b.length + 9];
            System.arraycopy(b, 0, framed, 5, b.length);
            Pkcs7Signature fresh;
            try {
                fresh = Pkcs7Signature.parseFresh(framed, 5, b.length);
            } catch (Rejected r) {
                continue;
            }
            Pkcs7Signature cached = Pkcs7Signature.parse(framed, 5, b.length);
            assertThat(Pkcs7Signature.sameBut(cached, fresh)).isTrue();
            assertThat(cached.signers().getFirst().signature()).isEqualTo(fresh.signers().getFirst().signature());
        }
        assertThat(Pkcs7Signature.parse(otherValue, 0, otherValue.length).signers().getFirst().signature())
                .isEqualTo(Arrays.copyOfRange(otherValue, blob.length - sigLen, blob.length));
    }

    @Test
    void everyCorpusBlobParsesAsFreshWhateverWasParsedBefore() throws Exception {
        var corpus = TestKeys.corpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(corpus != null, "corpus absent: skipping");
        for (String arch : List.of("amd64", "arm64")) {
            for (var p : TestKeys.modules(corpus.resolve(arch + "/modules"))) {
                byte[] raw = Files.readAllBytes(p);
                int off = raw.length - 721;
                Pkcs7Signature fresh = Pkcs7Signature.parseFresh(raw, off, 681);
                Pkcs7Signature cached = Pkcs7Signature.parse(raw, off, 681);
                assertThat(Pkcs7Signature.sameBut(cached, fresh)).as(p.toString()).isTrue();
                assertThat(cached.signers().getFirst().signature()).isEqualTo(fresh.signers().getFirst().signature());
            }
        }
    }
}
