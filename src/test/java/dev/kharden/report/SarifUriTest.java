package dev.kharden.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** File names become SARIF artifact URIs for any name a file system allows. */
class SarifUriTest {
    @Test
    void oddFileNamesStayRelativeAndParse() {
        assertThat(SarifReport.uri("configs/a b.config")).isEqualTo("configs/a%20b.config");
        assertThat(SarifReport.uri("c:onfig")).isEqualTo("./c:onfig");
        assertThat(URI.create(SarifReport.uri("c:onfig")).getScheme()).isNull();
        assertThat(SarifReport.uri("/proc/config.gz")).isEqualTo("file:///proc/config.gz");
        assertThat(URI.create(SarifReport.uri("weird%[name].config"))).isNotNull();
    }
}
