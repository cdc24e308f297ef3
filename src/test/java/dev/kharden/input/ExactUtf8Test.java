package dev.kharden.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactUtf8Test {
    private static byte[] roundTrip(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExactUtf8.encode(ExactUtf8.decode(in), out);
        return out.toByteArray();
    }

    @Test
    void anyBytesComeBackAsTheyWere() {
        Random r = new Random(11);
        for (int n = 0; n < 2000; n++) {
            byte[] in = new byte[r.nextInt(64)];
            r.nextBytes(in);
            assertThat(roundTrip(in)).isEqualTo(in);
        }
        // encoded surrogates, overlong forms, a cut sequence at the end, a pair followed by an escape
        byte[][] odd = {{(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xc0, (byte) 0xaf}, {'a', (byte) 0xe2, (byte) 0x82},
                "\ud83d\ude00".getBytes(StandardCharsets.UTF_8), {(byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80, (byte) 0xb0}};
        for (byte[] in : odd) {
            assertThat(roundTrip(in)).isEqualTo(in);
        }
    }

    @Test
    void validUtf8DecodesAsUtf8() {
        String text = "דצמ 05 host kernel: café \ud83d\ude00";
        assertThat(ExactUtf8.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
        assertThat(ExactUtf8.display(text)).isSameAs(text);
    }

    @Test
    void aByteThatIsNotUtf8IsNoLetterDigitOrSpace() {
        String s = ExactUtf8.decode(new byte[] {(byte) 0xd7, ' '});
        assertThat(s).hasSize(2);
        assertThat(Character.isLetterOrDigit(s.charAt(0))).isFalse();
        assertThat(Character.isWhitespace(s.charAt(0))).isFalse();
        assertThat(ExactUtf8.display(s)).isEqualTo("\ufffd ");
    }
}
