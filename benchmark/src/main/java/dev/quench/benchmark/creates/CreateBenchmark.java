package dev.quench.benchmark.creates;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.cpu.CpuMeter;
import dev.quench.benchmark.cpu.CpuUsage;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.events.wire.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Creates per second: {@code POST /v1/tasks} closed loop for a fixed time. The tasks are hour-long sleeps queued
 * behind the long sleeps that hold every slot, so the worker only records them; the cancel section cancels them
 * later.
 *
 * <p>Their CPU is measured from the first send until the pipeline has gone quiet: the worker and the projector are
 * still busy with the creates after the last answer.
 */
public final class CreateBenchmark {

  private static final String SECTION = "creates";
  // Short: the window's idle tail counts too.
  static final Duration QUIET = Duration.ofMillis(500);
  private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(180);

  private final BenchmarkSettings settings;
  private final TaskCreator creator;
  private final ResultTable table;
  private final CpuMeter cpu;
  private final Kafka kafka;
  private final Topics topics;

  public CreateBenchmark(BenchmarkSettings settings, TaskCreator creator, ResultTable table, CpuMeter cpu,
                         Kafka kafka, Topics topics) {
    this.settings = settings;
    this.creator = creator;
    this.table = table;
    this.cpu = cpu;
    this.kafka = kafka;
    this.topics = topics;
  }

  /** @return the tasks created, all queued */
  public List<String> run() throws InterruptedException {
    CpuMeter.Window window = cpu.start();
    TaskCreator.Result result = creator.create(Integer.MAX_VALUE, settings.createsDuration(), "sleep",
        TaskCreator.LONG_SLEEP, settings.createsInFlight());
    kafka.awaitQuiet(List.of(topics.requests(), topics.log(), topics.view()), QUIET, QUIET_TIMEOUT);
    CpuUsage usage = window.stop();
    Latency latency = Latency.of(result.latency());
    table.add(SECTION, "POST /v1/tasks, " + settings.createsInFlight() + " in flight, closed loop",
        String.format(Locale.ROOT, "%,.0f creates/s", result.perSecond()),
        latency.summary() + "; " + result.ids().size() + " created in " + result.elapsed().toMillis() + " ms"
            + (result.failures() == 0 ? "" : "; failed " + result.failed()));
    table.detail(SECTION, "creates_per_second", Math.round(result.perSecond()));
    table.detail(SECTION, "created", result.ids().size());
    table.detail(SECTION, "failed", result.failed());
    table.detail(SECTION, "in_flight", settings.createsInFlight());
    table.detail(SECTION, "latency", latency.toMap());
    table.figure(Targets.CREATES, result.perSecond());
    table.figure(Targets.CPU_CREATE, usage.addTo(table, SECTION, "create", result.ids().size(),
        CpuUsage.Counted.SERVICES));
    return result.ids();
  }
}
