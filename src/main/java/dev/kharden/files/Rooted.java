package dev.kharden.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths of a system seen from a folder that stands for its root (kharden seal --root, kharden check
 * --root: a rescue image, a mounted disk). Symbolic links are resolved as the system itself would,
 * with the folder as "/": an absolute target starts again at the folder, and ".." stops at it. So
 * a crafted image whose /proc/cmdline is a link to /etc/shadow yields the image's /etc/shadow, never
 * the file of the machine kharden runs on.
 */
public final class Rooted {
    private static final int MAX_LINKS = 40;
    private static final Path SYSTEM_ROOT = Path.of("/");

    private Rooted() {
    }

    /** {@code absolute} ("/proc/cmdline") under {@code root}; the path itself when root is "/". */
    public static Path resolve(Path root, String absolute) {
        Path base = root.toAbsolutePath().normalize();
        if (base.equals(SYSTEM_ROOT)) {
            return Path.of(absolute);
        }
        Deque<String> todo = new ArrayDeque<>(List.of(absolute.split("/")));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path here = join(base, done).resolve(name);
            if (!Files.isSymbolicLink(here)) {
                done.add(name);
                continue;
            }
            String target;
            try {
                target = Files.readSymbolicLink(here).toString();
            } catch (IOException e) {
                done.add(name); // unreadable link: reading the path fails with the system's own reason
                continue;
            }
            if (++links > MAX_LINKS) {
                done.add(name); // a loop: reading it fails with "too many levels of symbolic links"
                continue;
            }
            if (target.startsWith("/")) {
                done.clear();
            }
            String[] parts = target.split("/");
            for (int i = parts.length - 1; i >= 0; i--) {
                todo.addFirst(parts[i]);
            }
        }
        return join(base, done);
    }

    private static Path join(Path base, List<String> names) {
        Path p = base;
        for (String n : names) {
            p = p.resolve(n);
        }
        return p;
    }
}
