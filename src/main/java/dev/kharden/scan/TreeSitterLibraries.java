package dev.kharden.scan;

import dev.kharden.files.ExitCleanup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.treesitter.TSLanguage;
import org.treesitter.TSParser;
import org.treesitter.TreeSitterC;

/**
 * The one job: make tree-sitter's native libraries (the parser and the C grammar, carried in the
 * bindings' jars) load for whoever runs kharden, without a word on standard output.
 *
 * <p>The bindings look for each library as {@code FOLDER/lib/ARCH-OS-NAME.EXT}, FOLDER being the
 * system property {@value #FOLDER_PROPERTY} or else {@code ~/.tree-sitter}, and load it if its content
 * is theirs; otherwise they write it to {@code java.io.tmpdir} and rename it there. That fails when
 * the home folder cannot be written (a service user whose home is {@code /nonexistent}) or is on
 * another file system than the temporary folder, and then they print "Failed to move lib file" on
 * standard output (inside a JSON or SARIF report) and cannot load. So kharden unpacks them first,
 * each written beside its final name and moved into place in one step, into:
 * <ol>
 *   <li>the folder named by {@value #FOLDER_PROPERTY}, when it is set;
 *   <li>else {@code ~/.tree-sitter}, when it holds the libraries already or can be written;
 *   <li>else a new private folder (mode 0700) under {@code java.io.tmpdir}, removed when kharden exits.
 * </ol>
 * It then names that folder to the bindings, which find the libraries as they expect and only load
 * them. Whatever they print while loading is kept off standard output, and goes into the error when
 * loading fails. When no folder can be written the bindings are not asked at all.
 */
final class TreeSitterLibraries {
    /** The bindings' system property naming the folder they load from. */
    static final String FOLDER_PROPERTY = "tree-sitter-lib";
    /** The libraries, as the bindings name them. */
    private static final List<String> LIBRARIES = List.of("lib/tree-sitter", "lib/tree-sitter-c");

    private TreeSitterLibraries() {
    }

    /**
     * Where the libraries were unpacked.
     *
     * @param folder  the folder the bindings are told to load from
     * @param trouble why the libraries could not be unpacked there, or null
     * @param tried   the folders tried before, each with why it could not be used
     */
    record Place(Path folder, String trouble, List<String> tried) {
        /** The advice printed under a failure to load, naming the folders tried and used. */
        String hint() {
            List<String> all = new ArrayList<>(tried);
            if (trouble != null) {
                all.add(folder + " (" + trouble + ")");
            }
            return "kharden scan unpacks tree-sitter's native libraries for this platform (linux/macOS x86_64 or"
                    + " aarch64, windows x86_64) into a folder it can write and load libraries from: "
                    + (all.isEmpty() ? "" : "it could not use " + String.join(", nor ", all) + "; ")
                    + (trouble == null ? "it used " + folder + " (a file system mounted noexec refuses them); " : "")
                    + "-D" + FOLDER_PROPERTY + "=FOLDER in KHARDEN_JAVA_OPTS chooses another";
        }
    }

    /** Unpacks the libraries, names the folder to the bindings and loads them; once per JVM. */
    static TSLanguage load() {
        Place place = prepare(System.getProperty(FOLDER_PROPERTY), System.getProperty("user.home"),
                Path.of(System.getProperty("java.io.tmpdir")));
        String cannot = "cannot load tree-sitter's native C parser for " + System.getProperty("os.name") + "/"
                + System.getProperty("os.arch");
        if (place.trouble() != null) {
            // The bindings would try the same, fail alike and leave a file in java.io.tmpdir.
            throw new ParserUnavailableException(cannot + ": cannot unpack it into " + place.folder() + " ("
                    + place.trouble() + ")", place.hint(), null);
        }
        System.setProperty(FOLDER_PROPERTY, place.folder().toString());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
            return quietly(said, () -> {
                new TSParser(); // its class loads the parser library
                return new TreeSitterC();
            });
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            String why = e.getMessage() == null && e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            String printed = said.toString(StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
            throw new ParserUnavailableException(cannot + " from " + place.folder() + ": " + why
                    + (printed.isEmpty() ? "" : " (the bindings said: " + printed + ")"), place.hint(), e);
        }
    }

    /**
     * Runs {@code action} with standard output going to {@code said}, so that nothing the bindings
     * print reaches a report. Called before the scan's threads start, when nothing else prints.
     */
    static <T> T quietly(ByteArrayOutputStream said, Supplier<T> action) {
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.setOut(stdout);
        }
    }

    /**
     * Chooses the folder and unpacks the libraries into it.
     *
     * @param named  the folder the bindings were told to use, or null
     * @param home   {@code user.home}, or null
     * @param tmpdir {@code java.io.tmpdir}
     */
    static Place prepare(String named, String home, Path tmpdir) {
        if (named != null) {
            Path folder = Path.of(named);
            return new Place(folder, unpack(folder), List.of());
        }
        List<String> tried = new ArrayList<>();
        if (home != null && !home.isEmpty()) {
            Path folder = Path.of(home, ".tree-sitter");
            String trouble = unpack(folder);
            if (trouble == null) {
                return new Place(folder, null, List.of());
            }
            tried.add(folder + " (" + trouble + ")");
        }
        Path folder;
        try {
            folder = privateFolder(tmpdir);
        } catch (IOException e) {
            return new Place(tmpdir, "cannot create a folder in it: " + describe(e), tried);
        }
        String trouble = unpack(folder);
        return new Place(folder, trouble, tried);
    }

    /** A new folder only this user can enter, removed with what it holds when the JVM exits. */
    private static Path privateFolder(Path tmpdir) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        Path folder = Files.createTempDirectory(tmpdir, "kharden-tree-sitter-", attrs);
        // deleteOnExit runs in reverse order: the files, then lib/, then the folder.
        ExitCleanup.exitWorkLeft();
        folder.toFile().deleteOnExit();
        folder.resolve("lib").toFile().deleteOnExit();
        for (String name : resourceNames()) {
            folder.resolve(name).toFile().deleteOnExit();
        }
        return folder;
    }

    /** Puts each library in {@code folder} unless it is there already; null, or what went wrong. */
    private static String unpack(Path folder) {
        try {
            for (String name : resourceNames()) {
                byte[] want = resource(name);
                if (want == null) {
                    continue; // the bindings say "Can't open" themselves
                }
                Path target = folder.resolve(name);
                if (Files.isRegularFile(target) && Files.size(target) == want.length
                        && Arrays.equals(Files.readAllBytes(target), want)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                Path part = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
                try {
                    Files.write(part, want);
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            return null;
        } catch (IOException e) {
            return describe(e);
        }
    }

    private static String describe(Exception e) {
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": exists and is not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** The libraries' resource names for this platform, as the bindings compute them. */
    static List<String> resourceNames() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String ext;
        String system;
        if (os.contains("windows")) {
            ext = "dll";
            system = "windows";
        } else if (os.contains("linux")) {
            ext = "so";
            system = "linux-gnu";
        } else if (os.contains("mac")) {
            ext = "dylib";
            system = "macos";
        } else {
            return List.of();
        }
        String cpu = arch.contains("amd64") || arch.contains("x86_64") ? "x86_64" : arch.contains("aarch64") ? "aarch64" : null;
        if (cpu == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String lib : LIBRARIES) {
            int slash = lib.lastIndexOf('/');
            out.add(lib.substring(0, slash + 1) + cpu + "-" + system + "-" + lib.substring(slash + 1) + "." + ext);
        }
        return out;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TreeSitterLibraries.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
