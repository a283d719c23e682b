package dev.quench.benchmark.stop;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Where the probe handler, running inside the worker of this JVM, tells the benchmark what happened to each task and
 * when, by {@link System#nanoTime()}: the clock the benchmark's send times use.
 */
public final class StopProbes {

  /** The capability the probe handler serves. */
  public static final String CAPABILITY = "bench-stop";

  private static final ConcurrentHashMap<String, Probe> PROBES = new ConcurrentHashMap<>();

  private StopProbes() {
  }

  /** One task's probe; the handler or the benchmark, whichever comes first, makes it. */
  public static Probe of(String taskId) {
    return PROBES.computeIfAbsent(taskId, id -> new Probe());
  }

  public static void forget(String taskId) {
    PROBES.remove(taskId);
  }

  /** What the handler saw of one task. */
  public static final class Probe {

    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch observed = new CountDownLatch(1);
    private volatile long startedAt;
    private volatile long firedAt;
    private volatile long observedAt;

    void started(long nanos) {
      startedAt = nanos;
      started.countDown();
    }

    void fired(long nanos) {
      firedAt = nanos;
    }

    void observed(long nanos) {
      observedAt = nanos;
      observed.countDown();
    }

    public boolean awaitStarted(long timeoutMillis) throws InterruptedException {
      return started.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public boolean awaitObserved(long timeoutMillis) throws InterruptedException {
      return observed.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** When the handler began to run. */
    public long startedAt() {
      return startedAt;
    }

    /** When the worker fired the token (the callback ran on the worker's owner thread); 0 if it did not. */
    public long firedAt() {
      return firedAt;
    }

    /** When the handler's own thread returned from waiting on its token. */
    public long observedAt() {
      return observedAt;
    }
  }
}
