package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch runner and the tree walk that feeds it: order, growth, failures, and the walk's sort order. */
class BatchTest {
    @TempDir
    Path dir;

    @Test
    void resultsComeInInputOrderWhateverTheJobsTake() {
        int n = 3 * Batch.WINDOW + 17; // more than the result window holds, several times over
        List<Integer> input = IntStream.range(0, n).boxed().toList();
        List<Integer> out = new ArrayList<>();
        List<int[]> progress = new ArrayList<>();
        Batch.run(input, i -> {
            if (ThreadLocalRandom.current().nextInt(50) == 0) {
                sleep(1);
            }
            return i * 2;
        }, out::add, (d, t) -> progress.add(new int[] {d, t}), 3);
        assertThat(out).isEqualTo(input.stream().map(i -> i * 2).toList());
        assertThat(progress).hasSize(n);
        assertThat(progress.getLast()).containsExactly(n, n);
    }

    @Test
    void aGrowingFeedIsWorkedOnAsItGrowsAndEndsWhenClosed() throws Exception {
        Batch.Feed<Integer> feed = new Batch.Feed<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < 300; i++) {
                feed.add(i);
                if (i % 50 == 0) {
                    sleep(5);
                }
            }
            feed.close();
        });
        List<Integer> out = new ArrayList<>();
        List<Integer> totals = new ArrayList<>();
        Batch.run(feed, i -> -i, out::add, (d, t) -> totals.add(t), 2);
        producer.join();
        assertThat(out).isEqualTo(IntStream.range(0, 300).map(i -> -i).boxed().toList());
        assertThat(totals).contains(-1); // unknown while the feed was still growing
        assertThat(totals.getLast()).isEqualTo(300);
    }

    @Test
    void anEmptyFeedEndsAtOnce() {
        Batch.Feed<Integer> feed = new Batch.Feed<>();
        feed.close();
        List<Integer> out = new ArrayList<>();
        Batch.run(feed, i -> i, out::add, (d, t) -> { }, 2);
        assertThat(out).isEmpty();
    }

    @Test
    void aJobsBugReachesTheCallerAfterTheResultsBeforeIt() {
        List<Integer> out = new ArrayList<>();
        assertThatThrownBy(() -> Batch.run(IntStream.range(0, 100).boxed().toList(), i -> {
            if (i == 40) {
                throw new IllegalStateException("bug at 40");
            }
            return i;
        }, out::add, (d, t) -> { }, 2)).isInstanceOf(IllegalStateException.class).hasMessage("bug at 40");
        assertThat(out).isEqualTo(IntStream.range(0, 40).boxed().toList());
    }

    @Test
    void aFailedFeedReachesTheCallerAfterItsEntries() {
        Batch.Feed<Integer> feed = new Batch.Feed<>();
        feed.add(1);
        feed.add(2);
        feed.fail(new IllegalStateException("walk broke"));
        List<Integer> out = new ArrayList<>();
        assertThatThrownBy(() -> Batch.run(feed, i -> i, out::add, (d, t) -> { }, 2))
                .hasMessage("walk broke");
        assertThat(out).containsExactly(1, 2);
    }

    @Test
    void theWalkHandsOutEntriesInTheOrderOfTheirSortedPaths() throws Exception {
        // Names chosen so that sorting children by name alone would differ from sorting whole paths:
        // '-' and '.' sort before '/', '0' after it.
        for (String f : List.of("a/x.ko", "a/b/y.ko.xz", "a.b/z.ko", "a-c/w.ko.zst", "a0/v.ko.gz", "a.ko", "a/a.ko",
                "b.ko", "a/b.ko", "a/b-x/u.ko", "notes.txt", "a/readme")) {
            Path p = dir.resolve("t").resolve(f);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
        }
        Files.createDirectories(dir.resolve("t/empty.ko.d"));
        List<String> walked = ModuleTree.expand(List.of(dir.resolve("t"))).stream()
                .map(e -> e.path().toString()).toList();
        List<String> sorted;
        try (Stream<Path> all = Files.walk(dir.resolve("t"))) {
            sorted = all.filter(Files::isRegularFile).filter(p -> ModuleTree.isModuleName(p.getFileName().toString()))
                    .map(Path::toString).sorted(Comparator.naturalOrder()).toList();
        }
        assertThat(walked).hasSize(10).isEqualTo(sorted);
    }

    @Test
    void theWalkFeedsABatchFromItsOwnThread() throws Exception {
        for (int i = 0; i < 40; i++) {
            Path p = dir.resolve("t/d" + (i % 7) + "/m" + i + ".ko");
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {(byte) i});
        }
        List<Path> out = new ArrayList<>();
        Batch.run(ModuleTree.walkInBackground(List.of(dir.resolve("t"), dir.resolve("missing.ko"))),
                ModuleTree.Entry::path, out::add, (d, t) -> { }, 2);
        List<Path> expected = new ArrayList<>(ModuleTree.expand(List.of(dir.resolve("t"))).stream()
                .map(ModuleTree.Entry::path).toList());
        expected.add(dir.resolve("missing.ko"));
        assertThat(out).hasSize(41).isEqualTo(expected);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
