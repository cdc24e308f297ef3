package dev.kharden.modsig;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one job per module on a bounded pool (one thread per core) and hands the results to a sink in
 * input order as they complete, so output streams and memory stays bounded by the window of jobs in
 * flight. A job never throws for bad input (it returns a failed result); anything else is a bug and
 * propagates.
 */
public final class Batch {
    /** Called after each result with (done, total). */
    public interface Progress {
        void update(int done, int total);
    }

    public static <R> void run(List<ModuleTree.Entry> entries, Function<ModuleTree.Entry, R> job, Consumer<R> sink,
                               Progress progress, int threads) {
        int window = threads * 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kharden-modsig");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<R>> inFlight = new ArrayDeque<>();
            int next = 0;
            int done = 0;
            while (done < entries.size()) {
                while (next < entries.size() && inFlight.size() < window) {
                    ModuleTree.Entry e = entries.get(next++);
                    inFlight.add(pool.submit(() -> job.apply(e)));
                }
                sink.accept(await(inFlight.removeFirst()));
                done++;
                progress.update(done, entries.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for a task; its unchecked failure is rethrown as is, anything else wrapped. */
    public static <T> T await(Future<T> task) {
        try {
            return task.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ie);
        } catch (ExecutionException ee) {
            if (ee.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (ee.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(ee.getCause());
        }
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
    }

    private Batch() {
    }
}
