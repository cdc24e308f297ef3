package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HelpTextTest {
    @Test
    void proseFlowsIntoParagraphsAndExamplesStayVerbatim() {
        String[] source = {
            "With no input options, audits the running system: the config from /proc/config.gz,",
            "/boot/config or the modules folder.",
            "Each --config may be a file.",
            "",
            "  kharden check --config .config --fail-on high,profile:server --waivers waivers.txt",
            "Exit codes: 0 ok,%n1 failed, 100%% sure",
        };
        String out = HelpText.layout(source, 40);
        assertThat(out).isEqualTo(String.join("\n",
                "With no input options, audits the",
                "running system: the config from",
                "/proc/config.gz, /boot/config or the",
                "modules folder.",
                "Each --config may be a file.",
                "",
                "  kharden check --config .config --fail-on high,profile:server --waivers waivers.txt",
                "Exit codes: 0 ok,",
                "1 failed, 100% sure",
                ""));
    }

    @Test
    void aWordLongerThanTheWidthGetsALineOfItsOwn() {
        assertThat(HelpText.layout(new String[] {"see /a/very/long/path/name/indeed here"}, 10))
                .isEqualTo("see\n/a/very/long/path/name/indeed\nhere\n");
    }
}
