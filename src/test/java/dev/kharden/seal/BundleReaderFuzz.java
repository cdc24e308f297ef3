package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kharden.input.InputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Fuzz targets for the bundle side: the tar walk with manifest checks (on decrypted bytes: age has
 * its own targets) and the manifest parser. Invariant: bad input is an InputException (or, for the
 * manifest parser, an IOException with a reason), nothing else.
 */
class BundleReaderFuzz {
    @FuzzTest(maxDuration = "15s")
    void tarStream(byte[] data) {
        try {
            BundleReader.Verified v = BundleReader.scanChecked(new ByteArrayInputStream(data), "fuzz", (name, size) -> {
                BundleReader.checkName(name, "fuzz"); // every file handed out has a safe name
                return null;
            });
            assertThat(v.files()).allSatisfy(f -> assertThat(f.name()).doesNotStartWith("/").isNotEqualTo("..")
                    .doesNotContain("/../").doesNotStartWith("../").doesNotEndWith("/.."));
        } catch (InputException e) {
            assertThat(e.getMessage()).startsWith("fuzz");
        }
    }

    @FuzzTest(maxDuration = "15s")
    void manifest(byte[] data) {
        try {
            Manifest m = Manifest.parse(data);
            assertThat(m.schema()).isEqualTo(Manifest.SCHEMA);
        } catch (IOException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
