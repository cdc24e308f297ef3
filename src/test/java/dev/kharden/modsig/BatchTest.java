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
    void whenTheLastResultComesBeforeTheWalkEndsTheProgressStillHearsTheEnd() throws Exception {
        Batch.Feed<Integer> feed = new Batch.Feed<>();
        feed.add(1);
        feed.add(2);
        List<String> updates = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(1);
        Thread run = Thread.ofPlatform().start(() -> Batch.run(feed, i -> i, i -> { }, (d, t) -> {
            updates.add(d + "/" + t);
            if (d == 2) {
                both.countDown(); // the feed is still open here: this update cannot know the total
            }
        }, 2));
        both.await();
        feed.close(); // the walk ends only now, with nothing more found
        run.join();
        assertThat(updates).containsExactly("1/-1", "2/-1", "2/2");
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
    void aJobThatThrowsACheckedExceptionSneakilyFailsTheBatchInsteadOfHangingIt() {
        assertThatThrownBy(() -> Batch.run(IntStream.range(0, 50).boxed().toList(), i -> {
            if (i == 7) {
                sneaky(new java.io.IOException("sneaky"));
            }
            return i;
        }, i -> { }, (d, t) -> { }, 2)).isInstanceOf(IllegalStateException.class).hasRootCauseMessage("sneaky");
        assertThatThrownBy(() -> Batch.run(List.of(1), i -> {
            throw new StackOverflowError("deep");
        }, i -> { }, (d, t) -> { }, 1)).isInstanceOf(StackOverflowError.class); // an Error stays an Error
    }

    @Test
    void aBatchThatEndsEarlyStopsItsProducer() {
        Batch.Feed<Integer> feed = new Batch.Feed<>();
        feed.add(1);
        feed.add(2);
        assertThatThrownBy(() -> Batch.run(feed, i -> i, i -> {
            throw new IllegalArgumentException("sink broke");
        }, (d, t) -> { }, 2)).hasMessage("sink broke");
        assertThatThrownBy(() -> feed.add(3)).isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(Throwable t) throws T {
        throw (T) t;
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
    void aLoopingFolderIsReportedWhereItsOwnPathSorts() throws Exception {
        Path x = Files.createDirectories(dir.resolve("t/x"));
        Files.write(x.resolve("l-2.ko"), new byte[] {1});
        Files.write(x.resolve("l.ko"), new byte[] {1});
        Files.createSymbolicLink(x.resolve("l"), dir.resolve("t"));
        List<ModuleTree.Entry> walked = ModuleTree.expand(List.of(dir.resolve("t")));
        assertThat(walked).extracting(e -> e.path().getFileName() + (e.error() == null ? "" : "=" + e.error().errno()))
                .containsExactly("l=ELOOP", "l-2.ko", "l.ko");
        assertThat(walked.stream().map(e -> e.path().toString()).toList())
                .isSortedAccordingTo(Comparator.naturalOrder());
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
