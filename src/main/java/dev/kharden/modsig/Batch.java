package dev.kharden.modsig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one job per module on a fixed set of worker threads (one per core) and hands the results to a
 * sink on the calling thread, in input order, as they complete: output streams, and memory stays
 * bounded because no worker runs more than {@link #WINDOW} modules ahead of the sink. A job never
 * throws for bad input (it returns a failed result); anything else is a bug and propagates.
 *
 * <p>The input is a {@link Feed} that may still be growing (a tree being walked), so the work starts
 * on the first module found. Workers claim the next module from a shared counter and publish each
 * result in its slot; a thread parks only when it has nothing to do (the sink waiting for results, a
 * worker too far ahead or waiting for the walk), so a tree of small modules costs no hand-off between
 * threads per module.
 */
public final class Batch {
    /** Called after each result with (done, total); total is -1 while the input is still growing. */
    public interface Progress {
        void update(int done, int total);
    }

    /** Most results held at once, done but not yet consumed by the sink. */
    static final int WINDOW = 1024;
    /** How many results the sink lets pile up before it is woken (fewer hand-offs between threads). */
    static final int LAG = 32;

    /**
     * The input of a batch, appended to by one producer and closed when complete (or failed: the
     * batch then throws the producer's error after the entries already fed).
     */
    public static final class Feed<E> {
        private final List<E> items = new ArrayList<>();
        private boolean closed;
        private boolean cancelled;
        private RuntimeException failure;
        private int waiting;

        /** A feed holding {@code items}, already closed. */
        public static <E> Feed<E> of(List<E> items) {
            Feed<E> f = new Feed<>();
            f.items.addAll(items);
            f.closed = true;
            return f;
        }

        /** Appends an item; throws CancellationException once the batch reading the feed has ended. */
        public synchronized void add(E e) {
            if (cancelled) {
                throw new java.util.concurrent.CancellationException("the batch has ended");
            }
            items.add(e);
            if (waiting > 0) {
                notifyAll();
            }
        }

        public synchronized void close() {
            closed = true;
            notifyAll();
        }

        /** Ends the feed from the reading side: waiting readers return, and the producer's next add throws. */
        synchronized void cancel() {
            cancelled = true;
            close();
        }

        /** Closes the feed because its producer failed; the batch rethrows {@code e}. */
        public synchronized void fail(RuntimeException e) {
            failure = e;
            close();
        }

        /** Item {@code i}, waiting for it to be added; null when the feed closed before it. */
        synchronized E await(int i) {
            while (i >= items.size() && !closed) {
                waiting++;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } finally {
                    waiting--;
                }
            }
            return i < items.size() ? items.get(i) : null;
        }

        /** How many items are known now, and -1 in place of the total while more may come. */
        synchronized int size() {
            return items.size();
        }

        synchronized int total() {
            return closed ? items.size() : -1;
        }

        synchronized RuntimeException failure() {
            return failure;
        }
    }

    public static <E, R> void run(List<E> entries, Function<E, R> job, Consumer<R> sink, Progress progress,
                                  int threads) {
        run(Feed.of(entries), job, sink, progress, threads);
    }

    public static <E, R> void run(Feed<E> feed, Function<E, R> job, Consumer<R> sink, Progress progress,
                                  int threads) {
        new Run<>(feed, job, Math.max(1, threads)).drain(sink, progress);
    }

    /** A job's unexpected failure (a bug: jobs return failed results), carried to the calling thread. */
    private record Failure(Throwable error) {
        RuntimeException rethrow() {
            if (error instanceof Error e) {
                throw e;
            }
            return error instanceof RuntimeException r ? r : new IllegalStateException(error);
        }
    }

    private static final class Run<E, R> {
        private final Feed<E> feed;
        private final Function<E, R> job;
        /** Result slots, indexed by input position modulo WINDOW (no worker is WINDOW ahead of the sink). */
        private final AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(WINDOW);
        private final AtomicInteger next = new AtomicInteger();
        private final Thread sinkThread = Thread.currentThread();
        private final Thread[] workers;
        /** Results consumed by the sink so far; workers stay below consumed + WINDOW. */
        private volatile int consumed;
        /** The input position the sink is parked on, or -1. */
        private volatile int awaited = -1;
        private volatile boolean cancelled;

        Run(Feed<E> feed, Function<E, R> job, int threads) {
            this.feed = feed;
            this.job = job;
            this.workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                workers[t] = Thread.ofPlatform().daemon().name("kharden-modsig").unstarted(this::work);
            }
            for (Thread w : workers) {
                w.start();
            }
        }

        private void work() {
            for (int i = next.getAndIncrement(); !cancelled; i = next.getAndIncrement()) {
                Object r;
                try {
                    E e = feed.await(i);
                    if (e == null || cancelled) {
                        return;
                    }
                    while (i >= consumed + WINDOW && !cancelled) {
                        LockSupport.park(this);
                    }
                    r = job.apply(e);
                } catch (Throwable t) {
                    r = new Failure(t); // whatever it is, the sink learns of it: no slot is left empty
                }
                results.set(i % WINDOW, r);
                if (awaited == i) {
                    LockSupport.unpark(sinkThread);
                }
            }
        }

        @SuppressWarnings("unchecked")
        void drain(Consumer<R> sink, Progress progress) {
            int lastTotal = 0;
            int i = 0;
            try {
                for (; feed.await(i) != null; i++) {
                    Object r = results.get(i % WINDOW);
                    if (r == null) {
                        r = await(i);
                    }
                    results.set(i % WINDOW, null);
                    consumed = i + 1;
                    if ((i & 63) == 0) {
                        wakeWorkers(); // any worker parked at the window's edge may go on
                    }
                    if (r instanceof Failure f) {
                        throw f.rethrow();
                    }
                    sink.accept((R) r);
                    lastTotal = feed.total();
                    progress.update(i + 1, lastTotal);
                }
                if (feed.failure() != null) {
                    throw feed.failure();
                }
                if (lastTotal < 0) {
                    progress.update(i, i); // the last result came before the walk ended: say it is done
                }
            } finally {
                cancelled = true;
                feed.cancel();
                wakeWorkers();
            }
        }

        /**
         * Parks until the result at input position {@code i} is in. The sink sleeps until a result up
         * to {@link #LAG} positions further on (among those already fed) is in, not the next one, so
         * that it wakes once per run of results rather than per module. No wake-up is lost: a result
         * is published before its worker reads {@code awaited}, and {@code awaited} is set before the
         * sink reads the slot (both volatile).
         */
        private Object await(int i) {
            Object r;
            while ((r = results.get(i % WINDOW)) == null) {
                int j = Math.min(i + LAG, feed.size() - 1);
                awaited = j;
                if (results.get(j % WINDOW) != null) {
                    awaited = i;
                    if (results.get(i % WINDOW) != null) {
                        continue;
                    }
                }
                LockSupport.park(this);
            }
            awaited = -1;
            return r;
        }

        private void wakeWorkers() {
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 8));
    }

    private Batch() {
    }
}
