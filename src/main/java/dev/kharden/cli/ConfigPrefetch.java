package dev.kharden.cli;

import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Starts parsing the one kernel config of a `kharden check` command line on a second core while
 * picocli builds its model, so that a one-config audit does not parse after start-up but during it.
 * The scan of the raw arguments only guesses: {@code check} asks for the config by path, and gets
 * the early parse only for the very file it was going to parse; any other case parses as usual.
 * Parsing is side-effect free, so a guess that goes unused costs nothing but CPU time.
 */
final class ConfigPrefetch {
    private static Path path;
    private static FutureTask<KernelConfig> parse;

    private ConfigPrefetch() {
    }

    /** Starts parsing when {@code args} (the whole command line) name exactly one regular file with --config. */
    static synchronized void start(String[] args) {
        String found = null;
        int count = 0;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].equals("--config") && i + 1 < args.length) {
                found = args[++i];
                count++;
            } else if (args[i].startsWith("--config=")) {
                found = args[i].substring("--config=".length());
                count++;
            }
        }
        Path file;
        try {
            file = count == 1 && !found.isEmpty() ? Path.of(found) : null;
        } catch (java.nio.file.InvalidPathException e) {
            return; // not a name this locale can encode: the command line's own conversion says so
        }
        if (file == null || !Files.isRegularFile(file)) {
            return;
        }
        path = file;
        parse = new FutureTask<>(() -> KconfigParser.parse(file));
        Thread t = new Thread(parse, "kharden-prefetch");
        t.setDaemon(true);
        t.start();
    }

    /** The config at {@code file}: the early parse if it was of this very path, else a parse now. */
    static KernelConfig parse(Path file) {
        FutureTask<KernelConfig> early = take(file);
        if (early == null) {
            return KconfigParser.parse(file);
        }
        try {
            return early.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // the parser's InputException, exactly as a parse now would throw it
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return KconfigParser.parse(file);
        }
    }

    /** The path being parsed early and not yet handed out, or null (for tests). */
    static synchronized Path pending() {
        return parse == null ? null : path;
    }

    /** The early parse of {@code file}, handed out once (a later run in the same process parses afresh). */
    private static synchronized FutureTask<KernelConfig> take(Path file) {
        if (parse == null || !path.equals(file)) {
            return null;
        }
        FutureTask<KernelConfig> f = parse;
        parse = null;
        path = null;
        return f;
    }
}
