package dev.quench.benchmark.cpu;

import dev.quench.standalone.ProcStat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the CPU of the benchmark JVM, by thread role, and of its child processes (the broker) over a window.
 *
 * <p>A thread that ends inside the window takes its CPU clock with it, and the benchmark's readers and Tomcat's
 * idle workers do end. So a window does not only read every thread at its start and end: a sampler thread reads them
 * every {@value #INTERVAL_MS} ms, and a thread's figure is the last reading it had. A thread that ends loses at most
 * its final interval to its role; that time is not lost from the run, since the JVM's total comes from
 * {@code /proc/self/stat}, which keeps ended threads' time, and so lands in the shared work. Reading
 * {@code /proc/self/task/<tid>/stat} instead would not help: a task's file goes with its thread, and its name is cut
 * to 15 characters, too short to tell one Kafka client from another.
 */
public final class CpuMeter {

  static final long INTERVAL_MS = 100;
  private static final int OTHER_NAMES_KEPT = 10;

  private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
  private final ThreadRoles roles;

  public CpuMeter(ThreadRoles roles) {
    this.roles = roles;
    if (mx.isThreadCpuTimeSupported() && !mx.isThreadCpuTimeEnabled()) {
      mx.setThreadCpuTimeEnabled(true);
    }
  }

  /** Starts a window now. */
  public Window start() {
    return new Window();
  }

  /** One measured window: its readings so far, and the sampler that keeps them fresh until {@link #stop()}. */
  public final class Window {

    private final long startedNanos = System.nanoTime();
    private final long jvmAtStart;
    private final Map<Long, Long> childrenAtStart;
    private final Map<Long, Seen> seen = new HashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    private Window() {
      jvmAtStart = ProcStat.cpuNanos("self");
      childrenAtStart = children();
      sample(true);
      sampler = new Thread(this::loop, "bench-cpu-sampler");
      sampler.setDaemon(true);
      sampler.start();
    }

    private void loop() {
      while (running) {
        try {
          Thread.sleep(INTERVAL_MS);
        } catch (InterruptedException e) {
          return;
        }
        sample(false);
      }
    }

    private synchronized void sample(boolean first) {
      long[] ids = mx.getAllThreadIds();
      long[] unnamed = new long[ids.length];
      int missing = 0;
      for (long id : ids) {
        long cpu = mx.getThreadCpuTime(id);
        if (cpu < 0) {
          continue;
        }
        Seen thread = seen.get(id);
        if (thread == null) {
          // Thread ids are never reused: one first seen after the start began after it, from zero.
          seen.put(id, new Seen(first ? cpu : 0, cpu));
          unnamed[missing++] = id;
        } else {
          thread.last = cpu;
        }
      }
      if (missing > 0) {
        long[] wanted = Arrays.copyOf(unnamed, missing);
        for (ThreadInfo info : mx.getThreadInfo(wanted, 0)) {
          if (info != null) {
            Seen thread = seen.get(info.getThreadId());
            thread.name = info.getThreadName();
            thread.role = roles.of(thread.name);
          }
        }
      }
    }

    /** Ends the window: a last reading of every thread and process. */
    public CpuUsage stop() {
      running = false;
      sampler.interrupt();
      try {
        sampler.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sample(false);
      long jvm = ProcStat.cpuNanos("self");
      long broker = childrenDelta(childrenAtStart, children());
      Map<Role, Long> byRole = new EnumMap<>(Role.class);
      Map<String, Long> other = new HashMap<>();
      synchronized (this) {
        for (Seen thread : seen.values()) {
          if (thread.role == null) {
            // Ended before its name could be read: nothing to file it under.
            thread.role = Role.OTHER;
            thread.name = "(ended, unnamed)";
          }
          long used = Math.max(0, thread.last - thread.baseline);
          byRole.merge(thread.role, used, Long::sum);
          if (thread.role == Role.OTHER && used > 0) {
            other.merge(thread.name, used, Long::sum);
          }
        }
      }
      Map<String, Long> top = new HashMap<>();
      other.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(OTHER_NAMES_KEPT)
          .forEach(e -> top.put(e.getKey(), e.getValue()));
      ProcStat.ClockTicks ticks = ProcStat.ticks();
      return new CpuUsage(Duration.ofNanos(System.nanoTime() - startedNanos),
          jvm < 0 || jvmAtStart < 0 ? -1 : jvm - jvmAtStart, broker, byRole, top,
          ticks.perSecond() + "/s, " + ticks.source());
    }
  }

  /** What one thread used, as last read. */
  private static final class Seen {
    final long baseline;
    long last;
    String name;
    Role role;

    Seen(long baseline, long last) {
      this.baseline = baseline;
      this.last = last;
    }
  }

  /** The CPU time of every process below this JVM (the broker), by pid. */
  private static Map<Long, Long> children() {
    Map<Long, Long> cpu = new HashMap<>();
    List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
    for (ProcessHandle child : all) {
      long nanos = ProcStat.cpuNanos(Long.toString(child.pid()));
      if (nanos >= 0) {
        cpu.put(child.pid(), nanos);
      }
    }
    return cpu;
  }

  /**
   * The children's CPU over the window: a child there at both ends counts its difference, one started inside the
   * window all its time; one that ended inside it is lost (the broker lives as long as the run). -1 for no children.
   */
  static long childrenDelta(Map<Long, Long> atStart, Map<Long, Long> atEnd) {
    if (atEnd.isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (Map.Entry<Long, Long> child : atEnd.entrySet()) {
      sum += Math.max(0, child.getValue() - atStart.getOrDefault(child.getKey(), 0L));
    }
    return sum;
  }
}
