package dev.quench.benchmark.reads;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The read ceiling: authenticated {@code GET /v1/tasks/{id}} of tasks the run created, closed loop on a fixed number
 * of connections (one thread each, the next request as soon as the answer is in), for a fixed time after a warm-up.
 * Each read waits, as the api always does, until its replica has read every request acknowledged before it.
 */
public final class ReadCeilingBenchmark {

  private static final String SECTION = "reads";

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final ResultTable table;

  public ReadCeilingBenchmark(BenchmarkSettings settings, ApiClient api, ResultTable table) {
    this.settings = settings;
    this.api = api;
    this.table = table;
  }

  public void run(List<String> taskIds) throws InterruptedException {
    if (taskIds.isEmpty()) {
      throw new IllegalStateException("the reads need tasks to read: run creates or cancel too");
    }
    List<HttpRequest> gets = taskIds.stream().map(api::get).toList();
    run(SECTION, "GET /v1/tasks/{id}, " + settings.readsConnections() + " connections, closed loop", gets.size(),
        gets::get);
  }

  /**
   * Reads, the same way, in another section: {@code request} gives the request for a number below {@code tasks},
   * drawn at random for every read.
   */
  public void run(String section, String measure, int tasks, IntFunction<HttpRequest> request)
      throws InterruptedException {
    Recorder recorder = new Recorder(3);
    Map<Integer, Long> failures = new TreeMap<>();
    long warmupEnds = System.nanoTime() + settings.warmup().toNanos();
    long ends = warmupEnds + settings.readsDuration().toNanos();
    List<Thread> readers = new ArrayList<>();
    long[] counts = new long[settings.readsConnections()];
    for (int c = 0; c < settings.readsConnections(); c++) {
      int connection = c;
      Thread reader = new Thread(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
          long sent = System.nanoTime();
          if (sent - ends >= 0) {
            return;
          }
          int status;
          try {
            HttpResponse<String> response = api.send(request.apply(random.nextInt(tasks)));
            status = response.statusCode();
          } catch (IOException e) {
            status = 0;
          } catch (InterruptedException e) {
            return;
          }
          if (sent - warmupEnds < 0) {
            continue;
          }
          if (status == 200) {
            recorder.recordValue(Math.max(0, (System.nanoTime() - sent) / 1_000));
            counts[connection]++;
          } else {
            synchronized (failures) {
              failures.merge(status, 1L, Long::sum);
            }
          }
        }
      }, "bench-reader-" + c);
      reader.start();
      readers.add(reader);
    }
    for (Thread reader : readers) {
      reader.join();
    }
    Histogram histogram = recorder.getIntervalHistogram();
    long total = 0;
    for (long count : counts) {
      total += count;
    }
    double perSecond = total / (settings.readsDuration().toNanos() / 1e9);
    Latency latency = Latency.of(histogram);
    table.add(section, measure, String.format(Locale.ROOT, "%,.0f reads/s", perSecond),
        latency.summary() + String.format(Locale.ROOT, "; %,d reads of %,d tasks in %d s", total, tasks,
            settings.readsDuration().toSeconds()) + (failures.isEmpty() ? "" : "; not 200: " + failures));
    table.detail(section, "reads_per_second", Math.round(perSecond));
    table.detail(section, "connections", settings.readsConnections());
    table.detail(section, "reads", total);
    table.detail(section, "not_200", failures);
    table.detail(section, "latency", latency.toMap());
  }
}
