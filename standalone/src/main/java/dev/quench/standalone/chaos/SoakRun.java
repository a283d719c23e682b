package dev.quench.standalone.chaos;

import dev.quench.standalone.chaos.ClusterFaultRun.Pace;
import dev.quench.standalone.chaos.ClusterFaultRun.Running;
import dev.quench.standalone.chaos.ClusterFaults.Fault;
import dev.quench.standalone.cluster.IsolatedNetwork;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * The soak: the {@link ClusterFaultRun} for half an hour at a steady mixed load (its creates, cancels and batches,
 * and {@link ReadLoad}'s reads), one fault every minute, cycling through the plan, while every minute each service
 * process's heap after GC, RSS, threads and open files, each worker's and projector's consumer lag, and the last
 * minute's p99 cancel latency are recorded ({@link SoakSampler}). At the end, the cluster fault run's own checks
 * ({@code ChaosRun.check}: nothing acknowledged lost, invariants, views, batches; {@link ZombieCheck}), then the
 * record as {@code soak/soak.csv} and one chart a measure ({@code soak/*.png}, {@link SoakCharts}) under the run's
 * directory, the start and end of every series, and whether each stayed flat ({@link Flatness}). Exits 0 only if
 * the checks passed and every judged series stayed flat, 1 otherwise, 2 if the run itself failed.
 *
 * <p>A main of its own rather than a {@code --soak} switch of the cluster fault run: what it adds (a pace by the
 * clock, a sampler, files and a second verdict) has nothing to do in that run's short form in the suite, which
 * keeps the plain back-to-back pace ({@link Pace#BACK_TO_BACK}); the two share everything else through
 * {@link ClusterFaultRun#run(ChaosSettings, List, Pace, PrintStream)}.
 *
 * <p>Settings: those of {@link ClusterFaultRun} ({@code --duration} defaults to {@code 30m} here, {@code --faults}
 * to all six, the network cut only where namespaces can be made), and {@code --fault-every=1m} (a fault that takes
 * longer is followed by the next at once), {@code --sample-every=1m}, {@code --read-rate=2} (reads a second),
 * {@code --warm-up=2m} (left out of the flatness thirds).
 */
public final class SoakRun {

  static final List<Fault> DEFAULT_PLAN = List.of(Fault.BROKER, Fault.ZOMBIE, Fault.CONTROLLER, Fault.SCALE,
      Fault.NETNS, Fault.ROLLING);

  /**
   * What the soak adds to a cluster fault run's settings.
   *
   * @param faultEvery  one fault begins every this long
   * @param sampleEvery one sample every this long
   * @param readRate    reads a second beside the writes
   * @param warmUp      the start left out of the flatness check
   */
  record SoakSettings(Duration faultEvery, Duration sampleEvery, double readRate, Duration warmUp) {

    static SoakSettings from(String... args) {
      MutablePropertySources sources = new MutablePropertySources();
      sources.addFirst(new SimpleCommandLinePropertySource(args));
      Binder binder = new Binder(ConfigurationPropertySources.from(sources));
      SoakSettings settings = new SoakSettings(
          binder.bind("fault-every", Duration.class).orElse(Duration.ofMinutes(1)),
          binder.bind("sample-every", Duration.class).orElse(Duration.ofMinutes(1)),
          binder.bind("read-rate", Double.class).orElse(2.0),
          binder.bind("warm-up", Duration.class).orElse(Duration.ofMinutes(2)));
      if (settings.faultEvery.isNegative() || settings.faultEvery.isZero() || settings.sampleEvery.isNegative()
          || settings.sampleEvery.isZero() || !(settings.readRate > 0) || settings.warmUp.isNegative()) {
        throw new IllegalArgumentException("fault-every, sample-every and read-rate must be positive, warm-up not "
            + "negative: " + settings);
      }
      return settings;
    }
  }

  private SoakRun() {
  }

  public static void main(String[] args) {
    int exit;
    try {
      exit = run(args, System.out) ? 0 : 1;
    } catch (Exception e) {
      System.err.println("the soak failed before its checks: " + e.getMessage());
      e.printStackTrace();
      exit = 2;
    }
    System.exit(exit);
  }

  /** Runs the soak; true if its checks passed and it stayed flat. */
  static boolean run(String[] args, PrintStream out) throws InterruptedException {
    List<String> all = new ArrayList<>(List.of(args));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    // The soak's own defaults; an option given twice would bind as a list of both.
    if (all.stream().noneMatch(a -> a.startsWith("--duration="))) {
      all.add("--duration=30m");
    }
    if (all.stream().noneMatch(a -> a.startsWith("--dir="))) {
      all.add("--dir=" + Path.of(System.getProperty("java.io.tmpdir"), "quench-soak-" + stamp));
    }
    String[] merged = all.toArray(String[]::new);
    ChaosSettings settings = ChaosSettings.from(merged);
    SoakSettings soak = SoakSettings.from(merged);
    List<Fault> plan = plan(args);
    SoakPace pace = new SoakPace(soak, settings.seed());
    ChaosReport report = ClusterFaultRun.run(settings, plan, pace, out);
    report.print(out);

    Path dir = settings.dir().resolve("soak");
    SoakRecord record = pace.record();
    record.writeCsv(dir.resolve("soak.csv"));
    List<Path> charts = SoakCharts.write(record, pace.faultMinutes(), dir);
    double end = pace.lastMinute();
    List<Flatness.Verdict> verdicts = Flatness.judge(record, soak.warmUp().toSeconds() / 60.0, end);
    boolean flat = Flatness.flat(verdicts);

    out.println();
    out.printf("quench soak: %.1f minutes of load, %d faults begun (%s), one every %s; plan %s%n", end,
        pace.faultMinutes().size(), report.killsByRole(), soak.faultEvery(), plan);
    out.printf("  reads answered:            %s%n", pace.reads());
    out.printf("  samples:                   %d points in %s%n", record.points().size(), dir.resolve("soak.csv"));
    out.printf("  charts:                    %s%n", charts.stream().map(p -> p.getFileName().toString()).toList());
    out.printf("  flatness: median of the last third against the first third, after %s of warm-up; tolerances %s%n",
        soak.warmUp(), tolerances());
    verdicts.forEach(v -> out.println("    " + v.line()));
    out.println(flat ? "FLAT" : "NOT FLAT");
    out.println(report.passed() && flat ? "SOAK PASSED" : "SOAK FAILED");
    return report.passed() && flat;
  }

  /** {@code --faults=...} as the cluster fault run reads it; without it all six, the cut only where it can be. */
  static List<Fault> plan(String... args) {
    for (String arg : args) {
      if (arg.startsWith("--faults=")) {
        return ClusterFaultRun.plan(arg);
      }
    }
    if (IsolatedNetwork.available()) {
      return DEFAULT_PLAN;
    }
    System.out.println("no network namespace can be made here (root and iproute2 needed): the plan leaves out "
        + "the network cut");
    return DEFAULT_PLAN.stream().filter(f -> f != Fault.NETNS).toList();
  }

  private static String tolerances() {
    List<String> all = new ArrayList<>();
    for (Measure measure : Measure.values()) {
      all.add(measure.column() + " " + measure.tolerance());
    }
    return String.join(", ", all);
  }

  /** One fault a minute, and the sampler and the reads while the load runs. */
  private static final class SoakPace implements Pace {

    private final SoakSettings soak;
    private final long seed;
    private final List<Double> faultMinutes = new ArrayList<>();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "soak-sampler");
      thread.setDaemon(true);
      return thread;
    });
    private Running running;
    private SoakSampler sampler;
    private MemberLag lag;
    private ReadLoad reads;
    private ScheduledFuture<?> sampling;
    private double lastMinute;

    SoakPace(SoakSettings soak, long seed) {
      this.soak = soak;
      this.seed = seed;
    }

    @Override
    public void started(Running running) {
      this.running = running;
      lag = new MemberLag(running.cluster().bootstrapServers());
      sampler = new SoakSampler(running.fleet(), running.load().latencies(), lag, running.topics().prefix(),
          running.timeline(), running.chaosStarted());
      reads = new ReadLoad(running.api(), running.load(), new Random(seed + 1), soak.readRate());
      reads.start();
      sampling = clock.scheduleAtFixedRate(this::sample, 0, soak.sampleEvery().toNanos(), TimeUnit.NANOSECONDS);
      running.timeline().note("soak: a sample every " + soak.sampleEvery() + ", a fault every " + soak.faultEvery()
          + ", " + soak.readRate() + " reads a second");
    }

    @Override
    public boolean next(int done, int planSize, long deadline) throws InterruptedException {
      long slot = running.chaosStarted() + (done + 1) * soak.faultEvery().toNanos();
      // A pace by the clock, not an ordering: nothing waits on anything here but the minute.
      while (System.nanoTime() - slot < 0 && System.nanoTime() - deadline < 0) {
        TimeUnit.MILLISECONDS.sleep(Math.min(1_000, Math.max(1, (slot - System.nanoTime()) / 1_000_000)));
      }
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      faultMinutes.add((System.nanoTime() - running.chaosStarted()) / 60e9);
      return true;
    }

    @Override
    public void stopped() throws InterruptedException {
      if (running == null) {
        return;
      }
      sampling.cancel(false);
      clock.shutdown();
      clock.awaitTermination(2, TimeUnit.MINUTES);
      lastMinute = (System.nanoTime() - running.chaosStarted()) / 60e9;
      // The last sample, at the end of the load: the end values are the soak's, not a minute before.
      sample();
      reads.close();
      lag.close();
    }

    private void sample() {
      try {
        sampler.sample();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        running.timeline().note("soak sample failed: " + e);
      }
    }

    SoakRecord record() {
      return sampler == null ? new SoakRecord() : sampler.record();
    }

    List<Double> faultMinutes() {
      return List.copyOf(faultMinutes);
    }

    double lastMinute() {
      return lastMinute;
    }

    String reads() {
      return reads == null ? "none" : reads.answers().toString();
    }
  }
}
