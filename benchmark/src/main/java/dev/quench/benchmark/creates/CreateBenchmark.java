package dev.quench.benchmark.creates;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import java.util.List;
import java.util.Locale;

/**
 * Creates per second: {@code POST /v1/tasks} closed loop for a fixed time. The tasks are hour-long sleeps queued
 * behind the long sleeps that hold every slot, so the worker only records them; the cancel section cancels them
 * later.
 */
public final class CreateBenchmark {

  private static final String SECTION = "creates";

  private final BenchmarkSettings settings;
  private final TaskCreator creator;
  private final ResultTable table;

  public CreateBenchmark(BenchmarkSettings settings, TaskCreator creator, ResultTable table) {
    this.settings = settings;
    this.creator = creator;
    this.table = table;
  }

  /** @return the tasks created, all queued */
  public List<String> run() throws InterruptedException {
    TaskCreator.Result result = creator.create(Integer.MAX_VALUE, settings.createsDuration(), "sleep",
        TaskCreator.LONG_SLEEP, settings.createsInFlight());
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
    return result.ids();
  }
}
