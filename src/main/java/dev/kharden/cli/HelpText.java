package dev.kharden.cli;

import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Renders the description and footer of a command's help. picocli wraps each source line on its
 * own at the usage width, so a paragraph written over several lines comes out ragged
 * ("/proc/config." on one line, "gz," on the next), and an example command line is broken in the
 * middle of a file name. Here consecutive prose lines form one paragraph, wrapped as a whole, up
 * to a line that ends a sentence;
 * indented lines (examples, tables) go out verbatim, so a command line stays one line to copy;
 * blank lines stay.
 */
final class HelpText implements CommandLine.IHelpSectionRenderer {
    private final Function<UsageMessageSpec, String[]> lines;

    private HelpText(Function<UsageMessageSpec, String[]> lines) {
        this.lines = lines;
    }

    /** Installs the renderers on {@code cli} and on all its subcommands. */
    static void install(CommandLine cli) {
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, new HelpText(UsageMessageSpec::description));
        cli.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_FOOTER, new HelpText(UsageMessageSpec::footer));
        cli.getSubcommands().values().forEach(HelpText::install);
    }

    @Override
    public String render(CommandLine.Help help) {
        UsageMessageSpec usage = help.commandSpec().usageMessage();
        return layout(lines.apply(usage), usage.width());
    }

    /** The text of {@code source} (picocli's %n and %% understood) laid out for {@code width} columns. */
    static String layout(String[] source, int width) {
        StringBuilder sb = new StringBuilder();
        StringBuilder paragraph = new StringBuilder();
        for (String entry : source) {
            String[] parts = entry.replace("%n", "\n").replace("%%", "%").split("\n", -1);
            for (int i = 0; i < parts.length; i++) {
                String line = parts[i];
                if (line.isBlank() || line.startsWith(" ")) {
                    wrap(paragraph, width, sb);
                    sb.append(line.stripTrailing()).append('\n');
                } else {
                    paragraph.append(paragraph.isEmpty() ? "" : " ").append(line.strip());
                    // a source line that ends a sentence ends its paragraph, and so does an explicit %n
                    if (line.endsWith(".") || line.endsWith(":") || i < parts.length - 1) {
                        wrap(paragraph, width, sb);
                    }
                }
            }
        }
        wrap(paragraph, width, sb);
        return sb.toString();
    }

    /** Greedy word wrap of a paragraph, which is then emptied; a word longer than the width gets a line of its own. */
    private static void wrap(StringBuilder paragraph, int width, StringBuilder sb) {
        if (paragraph.isEmpty()) {
            return;
        }
        int col = 0;
        for (String word : paragraph.toString().split(" +")) {
            if (col > 0 && col + 1 + word.length() > width) {
                sb.append('\n');
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        sb.append('\n');
        paragraph.setLength(0);
    }
}
