package dev.kharden.cli;

import dev.kharden.catalog.CatalogLoader;
import dev.kharden.files.ExitCleanup;
import dev.kharden.files.Utf8Writer;
import dev.kharden.input.InputException;
import dev.kharden.report.JsonReport;
import dev.kharden.seal.WarmUp;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Entry point: builds the command tree, wires standard output and error, and is the one place where
 * exceptions become a message, a hint and an exit code ({@link ExitCodes}). Set KHARDEN_DEBUG=1 to
 * see stack traces of internal errors.
 */
public final class Main {
    private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    /** Commands that read the built-in catalogue. */
    private static final java.util.Set<String> CATALOGUE_USERS = java.util.Set.of("check", "catalog", "explain", "fix", "diff", "docs", "seal");
    /** Commands that write or read sealed bundles. */
    private static final java.util.Set<String> BUNDLE_USERS = java.util.Set.of("seal", "unseal", "symbolize");

    private Main() {
    }

    public static void main(String[] args) {
        Timing.mark("main");
        StandardOutput stdout = new StandardOutput();
        PrintWriter out = new PrintWriter(new Utf8Writer(stdout), false);
        PrintWriter err = new PrintWriter(new Utf8Writer(System.err), true);
        int code = run(args, out, err, stdout);
        out.flush();
        code = stdout.exitCode(code, err);
        err.flush();
        Timing.mark("exit");
        ExitCleanup.exit(code);
    }

    /** Runs one kharden command line with the given writers and returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, null);
    }

    /** Standard output as bytes during a run (see {@link #rawOut()}). */
    private static final ThreadLocal<java.io.OutputStream> RAW_OUT = new ThreadLocal<>();

    /**
     * Standard output as bytes, under {@code out}'s writer, for a command that must give back its
     * input byte for byte (redact); null when the run has none (in-process runs, tests).
     */
    static java.io.OutputStream rawOut() {
        return RAW_OUT.get();
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, with {@code raw} the bytes under {@code out}. */
    static int run(String[] args, PrintWriter out, PrintWriter err, java.io.OutputStream raw) {
        RAW_OUT.set(raw);
        try {
            return runCommand(args, out, err);
        } finally {
            RAW_OUT.remove();
        }
    }

    private static int runCommand(String[] args, PrintWriter out, PrintWriter err) {
        args = helpAsOption(args);
        warmUp(args);
        CommandLine cli = commandLine(args.length > 0 ? args[0] : null, args.length > 1 ? args[1] : null, out, err);
        Timing.mark("model built");
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli hands exceptions to report(), not errors: say it in one line, never a stack trace
            err.println("kharden: out of memory: an input is larger than this JVM's heap can hold; "
                    + "give it more with KHARDEN_JAVA_OPTS=-Xmx..., or report the input that did this");
            code = ExitCodes.INTERNAL;
        } catch (StackOverflowError e) {
            err.println("kharden: internal error: " + e);
            err.println("hint: this is a bug in kharden; rerun with KHARDEN_DEBUG=1 and report the stack trace");
            code = ExitCodes.INTERNAL;
        }
        out.flush();
        err.flush();
        return code;
    }

    /** The group commands: their first argument names a subcommand. */
    private static final java.util.Set<String> GROUP_COMMANDS = java.util.Set.of("modsig", "livepatch");

    /**
     * {@code kharden help modsig verify} and {@code kharden modsig help verify} as
     * {@code kharden modsig verify --help}: picocli's help command knows one level only, and a
     * group's own help would otherwise be shown, or "help" refused as an unknown subcommand.
     */
    static String[] helpAsOption(String[] args) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(args));
        if (a.size() >= 2 && a.get(0).equals("help") && Commands.ALL.containsKey(a.get(1))) {
            a.remove(0);
        } else if (a.size() >= 3 && GROUP_COMMANDS.contains(a.get(0)) && a.get(1).equals("help")) {
            a.remove(1);
        } else {
            return args;
        }
        a.add("--help");
        return a.toArray(String[]::new);
    }

    /**
     * Uses the second core while the main thread builds the command's model ({@link CliModel}). The
     * catalogue's users get the built-in catalogue decoded and, for check, the JSON writer
     * initialised and the one config named parsed. The bundle commands other than seal (which reads
     * no tar and prints without a Formatter) get the tar header parser and the formatter their report
     * uses initialised. Unseal first gets the JDK's random generator (seal draws from the kernel,
     * see {@link dev.kharden.crypto.Randomness}); seal and unseal then the JDK's native I/O, the
     * bridge to libcrypto and X25519 (see {@link WarmUp}). All of it is ready, or under way, when
     * the command needs it.
     */
    private static void warmUp(String[] args) {
        String command = args.length > 0 ? args[0] : "";
        if (command.equals("check")) {
            ConfigPrefetch.start(args);
        }
        Runnable catalogue = CATALOGUE_USERS.contains(command) ? CatalogLoader.preloadTask() : null;
        boolean bundle = BUNDLE_USERS.contains(command);
        Thread t = new Thread(() -> {
            try {
                warmUpWork(command, catalogue, bundle);
            } catch (RuntimeException | Error e) {
                // Only a head start: the command meets the same problem itself and reports it its
                // own way (an uncaught exception here would print a stack trace to the terminal).
            }
        }, "kharden-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The warm-up thread's work (see {@link #warmUp(String[])}). */
    private static void warmUpWork(String command, Runnable catalogue, boolean bundle) {
        if (command.equals("unseal")) {
            WarmUp.random(); // first: unseal names its temporary folder right after the command line is parsed
        }
        if (command.equals("seal") || command.equals("unseal")) {
            WarmUp.channels(); // a seal creates its bundle right after the command line is parsed
            WarmUp.crypto();
        }
        if (catalogue != null) {
            catalogue.run();
        }
        if (command.equals("check")) {
            JsonReport.warmUp();
        }
        if (bundle) {
            if (!command.equals("seal")) { // seal writes tar headers, reads none, and prints without a Formatter
                WarmUp.tar();
                String.format("%-2s %d %.1f%n", "", 0, 0.0);
            }
        }
    }

    /**
     * The command tree for a run: only the subcommand named first (and of a group, only the
     * subcommand named second), or all of them for help.
     */
    static CommandLine commandLine(String first, String second, PrintWriter out, PrintWriter err) {
        // picocli registers reflective converters for java.time and java.sql types on every start;
        // kharden's options use none of them (Path's converter is reflective too, so java.nio stays), and skipping them saves start-up time.
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, "java\\.(time|sql)\\..*");
        }
        // picocli's factory looks for Groovy's closure class when it is first used: a look-up that
        // fails only after opening and indexing the whole jar (about 15 ms). kharden has no Groovy.
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cli = CliModel.commandLine(new KhardenCommand());
        if (first != null && Commands.ALL.containsKey(first)) {
            cli.addSubcommand(first, command(first, second));
        } else {
            cli.addSubcommand("help", CliModel.commandLine(new CommandLine.HelpCommand()));
            Commands.ALL.forEach((name, make) -> cli.addSubcommand(name, command(name, null)));
        }
        HelpText.install(cli);
        cli.registerConverter(java.nio.file.Path.class, Main::path);
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpAutoWidth(true);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, commandLine.getErr()));
        return cli;
    }

    /** One command; for a group, with the subcommand {@code sub} alone when it names one, else all of them. */
    private static CommandLine command(String name, String sub) {
        CommandLine c = versioned(CliModel.commandLine(Commands.ALL.get(name).get()));
        var subs = Commands.GROUPS.get(name);
        if (subs != null && subs.containsKey(sub)) {
            c.addSubcommand(sub, versioned(CliModel.commandLine(subs.get(sub).get())));
        } else if (subs != null) {
            subs.forEach((n, make) -> c.addSubcommand(n, versioned(CliModel.commandLine(make.get()))));
        }
        return c;
    }

    /** A command whose -V/--version prints kharden's version (picocli's would print nothing for a subcommand). */
    private static CommandLine versioned(CommandLine c) {
        if (c.getCommandSpec().versionProvider() == null && c.getCommandSpec().version().length == 0) {
            c.getCommandSpec().versionProvider(new VersionProvider());
        }
        return c;
    }

    /** What a file name the JDK cannot encode in the locale's character set is (LANG=C and a non-ASCII name), and the way out. */
    private static final String UNENCODABLE_NAME = "a file name with characters that the locale's character set ("
            + System.getProperty("sun.jnu.encoding", "?") + ") cannot encode";
    private static final String UTF8_LOCALE = "run with a UTF-8 locale, such as LANG=C.UTF-8";

    /** A path argument; an empty one is refused (Path.of("") is the current folder, which nobody means by it). */
    private static java.nio.file.Path path(String s) {
        if (s.isEmpty()) {
            throw new CommandLine.TypeConversionException("an empty path");
        }
        if (s.indexOf('\uFFFD') >= 0) {
            // The JVM decodes its arguments in the locale's character set and makes each byte it cannot
            // decode U+FFFD: the name that reached kharden is another file's (or none), and writing it
            // would make a new one.
            if (!"UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"))) {
                throw new CommandLine.TypeConversionException(UNENCODABLE_NAME + "; " + UTF8_LOCALE);
            }
            throw new CommandLine.TypeConversionException("a file name that is not valid UTF-8 (or holds U+FFFD): "
                    + "the JVM cannot pass such a name on intact; rename the file, or name the folder it is in");
        }
        try {
            return java.nio.file.Path.of(s);
        } catch (java.nio.file.InvalidPathException e) {
            // e.g. a non-ASCII name under LANG=C: the JDK encodes file names in the locale's charset
            throw new CommandLine.TypeConversionException(UNENCODABLE_NAME + "; " + UTF8_LOCALE);
        }
    }

    /**
     * A command line picocli cannot parse (an unknown option, a bad value, a missing argument): one
     * line saying what is wrong, picocli's suggestions if any, and where the options are listed,
     * rather than the whole help after the message.
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        PrintWriter err = ex.getCommandLine().getErr();
        err.println("kharden: " + Said.fit(ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        CommandLine c = ex.getCommandLine();
        err.println("hint: '" + c.getCommandSpec().qualifiedName() + " --help' lists the "
                + (c.getSubcommands().isEmpty() ? "options" : "commands"));
        err.flush();
        return ExitCodes.USAGE;
    }

    /** Turns an exception escaping a command into one line on standard error and an exit code. */
    static int report(Exception ex, PrintWriter err) {
        if (ex instanceof InputException ie) {
            err.println("kharden: " + Said.fit(ie.getMessage()));
            return ExitCodes.USAGE;
        }
        if (ex instanceof UsageException ue) {
            err.println("kharden: " + Said.fit(ue.getMessage()));
            if (ue.hint() != null) {
                err.println("hint: " + ue.hint());
            }
            return ExitCodes.USAGE;
        }
        if (ex instanceof UncheckedIOException io) {
            err.println("kharden: I/O error: " + io.getCause().getMessage());
            return ExitCodes.USAGE;
        }
        if (ex instanceof java.nio.file.InvalidPathException ip) {
            // a name met after parsing (a log named by a bundle, a path inside a folder) that the locale cannot encode
            err.println("kharden: " + Said.fit(ip.getInput()) + ": " + UNENCODABLE_NAME);
            err.println("hint: " + UTF8_LOCALE);
            return ExitCodes.USAGE;
        }
        err.println("kharden: internal error: " + ex);
        if (System.getenv("KHARDEN_DEBUG") != null) {
            ex.printStackTrace(err);
        } else {
            err.println("hint: this is a bug in kharden; rerun with KHARDEN_DEBUG=1 and report the stack trace");
        }
        return ExitCodes.INTERNAL;
    }
}
