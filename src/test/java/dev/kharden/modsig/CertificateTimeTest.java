package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.api.Test;

/** TrustedCert's direct rewriting of certificate times gives what the general Date path gives. */
class CertificateTimeTest {
    private static String general(Time t) throws Exception {
        return t.getDate().toInstant().toString();
    }

    @Test
    void utcTimeCenturyPivotAndEdges() throws Exception {
        for (String v : new String[] {"491231235959Z", "500101000000Z", "000229120000Z", "991231235959Z",
                "230405060708Z", "330531000000Z", "240229000000Z"}) {
            Time t = new Time(new ASN1UTCTime(v));
            assertThat(TrustedCert.instant(t)).as(v).isEqualTo(general(t));
        }
        assertThat(TrustedCert.instant(new Time(new ASN1UTCTime("491231235959Z")))).isEqualTo("2049-12-31T23:59:59Z");
        assertThat(TrustedCert.instant(new Time(new ASN1UTCTime("500101000000Z")))).isEqualTo("1950-01-01T00:00:00Z");
    }

    @Test
    void randomTimesInBothFormsAgreeWithTheGeneralPath() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 2000; i++) {
            int year = i % 2 == 0 ? 1950 + r.nextInt(150) : 1000 + r.nextInt(9000);
            String rest = String.format("%02d%02d%02d%02d%02dZ", 1 + r.nextInt(12), 1 + r.nextInt(31), r.nextInt(24),
                    r.nextInt(60), r.nextInt(60));
            Time g = new Time(new ASN1GeneralizedTime(String.format("%04d", year) + rest));
            assertThat(TrustedCert.instant(g)).as(g.getTime()).isEqualTo(general(g));
            if (year < 2050) {
                Time u = new Time(new ASN1UTCTime(String.format("%02d", year % 100) + rest));
                assertThat(TrustedCert.instant(u)).as(u.getTime()).isEqualTo(general(u));
            }
        }
    }

    @Test
    void otherFormsTakeTheGeneralPath() throws Exception {
        for (Time t : new Time[] {new Time(new ASN1GeneralizedTime("20230405060708.5Z")),
                new Time(new ASN1GeneralizedTime("09990101000000Z")),
                new Time(new ASN1GeneralizedTime("15000101000000Z")), // Date counts this in the Julian calendar
                new Time(new ASN1GeneralizedTime("10000301000000Z")),
                new Time(new ASN1GeneralizedTime("15821015000000Z")),
                new Time(new ASN1GeneralizedTime("20230231000000Z"))}) {
            assertThat(TrustedCert.instant(t)).isEqualTo(general(t));
        }
    }
}
