package dev.kharden.cmdline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CmdlineParserTest {
    static Cmdline parse(String text) {
        return CmdlineParser.parse(TextSource.fromBytes("cmdline", text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void normalisesBooleansExceptWordValuedParameters() {
        Cmdline c = parse("init_on_alloc=on page_alloc.shuffle=Y mitigations=off pti=on quiet slab_nomerge=\n");
        assertThat(c.get("init_on_alloc")).isEqualTo("1");
        assertThat(c.get("page_alloc.shuffle")).isEqualTo("1");
        assertThat(c.get("mitigations")).isEqualTo("off");
        assertThat(c.get("pti")).isEqualTo("on");
        assertThat(c.get("quiet")).isEmpty();
        assertThat(c.get("slab_nomerge")).isEmpty();
    }

    @Test
    void lastDuplicateWinsWithAWarningAndInitArgumentsAreIgnored() {
        Cmdline c = parse("a=1 a=0 -- a=2 init=/bin/sh");
        assertThat(c.get("a")).isEqualTo("0");
        assertThat(c.get("init")).isNull();
        assertThat(c.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("more than once"));
    }

    @Test
    void emptyAndMultiLineInputsAreErrors() {
        assertThatThrownBy(() -> parse("\n")).isInstanceOf(InputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("a=1\nb=2\n")).hasMessage("cmdline:2: a kernel command line is one line; found a second one");
    }
}
