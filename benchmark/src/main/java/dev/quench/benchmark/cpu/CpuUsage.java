package dev.quench.benchmark.cpu;

import dev.quench.benchmark.report.ResultTable;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CPU time spent over one measured window, in nanoseconds, and what it costs per request.
 *
 * <p>The JVM's total comes from {@code /proc/self/stat}; the threads' shares from their own CPU clocks. What the
 * total holds beyond the named threads (GC, the JIT compilers, the VM's own threads, unclaimed Java threads, and the
 * last sampling interval of a thread that ended inside the window) is <em>shared</em> work: it is charged to each
 * role in proportion to its threads' CPU, so the client's share of the garbage and the compiled code stays out of
 * the services' cost.
 *
 * @param elapsed      the window's wall-clock length
 * @param jvmNanos     the benchmark JVM's CPU time, or -1 when it could not be read
 * @param brokerNanos  the broker's (the JVM's child processes), or -1 when it could not be read
 * @param threads      the CPU time of the JVM's threads by role; {@link Role#OTHER} is part of {@link #shared()}
 * @param otherThreads the threads filed under {@link Role#OTHER} that used the most CPU, by name: what to name next
 * @param clock        how {@code /proc}'s clock ticks were converted
 */
public record CpuUsage(Duration elapsed, long jvmNanos, long brokerNanos, Map<Role, Long> threads,
                       Map<String, Long> otherThreads, String clock) {

  /** Whose CPU a section's cost per request counts. */
  public enum Counted {
    /** quench's services (the deliverer follows every log record too) and its broker: the cost of a request. */
    SERVICES(Set.of(Role.API, Role.WORKER, Role.PROJECTOR, Role.CALLBACKS), true),
    /** The bare Spring MVC application alone: quench's idle services and broker are bystanders there. */
    HTTP_CEILING(Set.of(Role.HTTP_CEILING), false);

    private final Set<Role> roles;
    private final boolean broker;

    Counted(Set<Role> roles, boolean broker) {
      this.roles = roles;
      this.broker = broker;
    }
  }

  public CpuUsage {
    threads = new EnumMap<>(threads.isEmpty() ? Map.of(Role.OTHER, 0L) : threads);
    otherThreads = Map.copyOf(otherThreads);
  }

  public long thread(Role role) {
    return threads.getOrDefault(role, 0L);
  }

  /** The JVM's CPU that no role's threads account for; 0 when the JVM's total is unknown. */
  public long shared() {
    if (jvmNanos < 0) {
      return 0;
    }
    long attributed = attributed();
    // /proc counts in clock ticks, the threads in nanoseconds: a few ticks' rounding may go either way.
    return Math.max(0, jvmNanos - attributed);
  }

  /** The part of the shared work charged to these roles, in proportion to their threads' CPU. */
  public long sharedOf(Set<Role> roles) {
    long attributed = attributed();
    if (attributed == 0) {
      return 0;
    }
    long theirs = roles.stream().filter(r -> r != Role.OTHER).mapToLong(this::thread).sum();
    return Math.round(shared() * ((double) theirs / attributed));
  }

  /** The CPU a request of this kind cost: the counted roles' threads, their part of the shared work, the broker's. */
  public long total(Counted counted) {
    long total = 0;
    for (Role role : counted.roles) {
      total += thread(role);
    }
    total += sharedOf(counted.roles);
    if (counted.broker) {
      total += Math.max(0, brokerNanos);
    }
    return total;
  }

  /** Whether everything {@code counted} needs was read. */
  public boolean complete(Counted counted) {
    return jvmNanos >= 0 && (!counted.broker || brokerNanos >= 0);
  }

  /** Milliseconds per request, or NaN for no requests. */
  public static double perRequestMs(long nanos, long requests) {
    return requests <= 0 ? Double.NaN : nanos / 1e6 / requests;
  }

  /**
   * Adds a row per process to {@code section} of the table, and the figures behind them to its details.
   *
   * @param what     the request, singular: {@code cancel}, {@code create}, {@code read}
   * @param requests how many the window served
   * @return the total CPU milliseconds per request (client excluded), NaN if it could not be measured
   */
  public double addTo(ResultTable table, String section, String what, long requests, Counted counted) {
    String per = "CPU ms per " + what + ": ";
    if (!complete(counted) || requests <= 0) {
      table.add(section, per + "all processes", "not measured",
          requests <= 0 ? "no " + what + " in the window" : "/proc/<pid>/stat not readable (Linux only)");
      return Double.NaN;
    }
    for (Role role : counted.roles.stream().sorted().toList()) {
      table.add(section, per + role.label(), ms(thread(role), requests), "its threads' CPU (ThreadMXBean)");
    }
    table.add(section, per + "JVM shared work (GC, JIT, VM threads), the part charged", ms(sharedOf(counted.roles),
        requests), String.format(Locale.ROOT, "of %s per %s shared, split by the threads' CPU (the client's part "
        + "left out)", ms(shared(), requests), what));
    if (counted.broker) {
      table.add(section, per + "broker", ms(brokerNanos, requests), "the broker child process (/proc/<pid>/stat)");
    }
    long total = total(counted);
    table.add(section, per + "all processes, client excluded", ms(total, requests), String.format(Locale.ROOT,
        "%,d %ss in %.1f s; /proc clock ticks %s", requests, what, elapsed.toMillis() / 1000.0, clock));
    table.add(section, per + "client (not in the total)", ms(thread(Role.CLIENT), requests),
        "the benchmark's own threads: HTTP client, load loop, watchers");
    table.detail(section, "cpu", toMap(requests, counted));
    return perRequestMs(total, requests);
  }

  Map<String, Object> toMap(long requests, Counted counted) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("requests", requests);
    map.put("window_ms", elapsed.toMillis());
    map.put("counted", counted.name().toLowerCase(Locale.ROOT));
    map.put("total_ms_per_request", round(perRequestMs(total(counted), requests)));
    Map<String, Object> byRole = new LinkedHashMap<>();
    for (Role role : Role.values()) {
      byRole.put(role.name().toLowerCase(Locale.ROOT), round(perRequestMs(thread(role), requests)));
    }
    map.put("threads_ms_per_request", byRole);
    map.put("shared_ms_per_request", round(perRequestMs(shared(), requests)));
    map.put("shared_charged_ms_per_request", round(perRequestMs(sharedOf(counted.roles), requests)));
    map.put("broker_ms_per_request", brokerNanos < 0 ? null : round(perRequestMs(brokerNanos, requests)));
    map.put("jvm_ms", jvmNanos < 0 ? null : round(jvmNanos / 1e6));
    map.put("broker_ms", brokerNanos < 0 ? null : round(brokerNanos / 1e6));
    Map<String, Object> other = new LinkedHashMap<>();
    otherThreads.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> other.put(e.getKey(), round(e.getValue() / 1e6)));
    map.put("other_threads_ms", other);
    map.put("clock_ticks", clock);
    return map;
  }

  private long attributed() {
    long sum = 0;
    for (Map.Entry<Role, Long> entry : threads.entrySet()) {
      if (entry.getKey() != Role.OTHER) {
        sum += entry.getValue();
      }
    }
    return sum;
  }

  private static String ms(long nanos, long requests) {
    return String.format(Locale.ROOT, "%.3f ms", perRequestMs(nanos, requests));
  }

  private static Double round(double value) {
    return Double.isNaN(value) ? null : Math.round(value * 1000) / 1000.0;
  }
}
