package dev.quench.benchmark.reads;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.cpu.CpuMeter;
import dev.quench.benchmark.cpu.CpuUsage;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The read ceiling: authenticated {@code GET /v1/tasks/{id}} of tasks the run created, closed loop on a fixed number
 * of connections (one thread each, the next request as soon as the answer is in), for a fixed time after a warm-up.
 * Each read waits, as the api always does, until its replica has read every request acknowledged before it.
 * When told to, it measures the CPU of the reads it counts: from the warm-up's end until the last reader is done.
 */
public final class ReadCeilingBenchmark {

  private static final String SECTION = "reads";

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final ResultTable table;
  private final CpuCost cpu;

  /**
   * Whose CPU a read costs, and what to call one.
   *
   * @param meter   the meter
   * @param counted whose CPU counts
   * @param what    a request's name in the rows, singular
   */
  public record CpuCost(CpuMeter meter, CpuUsage.Counted counted, String what) {
  }

  /**
   * What a closed loop of reads found.
   *
   * @param perSecond   200 answers per second
   * @param cpuMsPerRead CPU ms per read, NaN when not measured
   */
  public record Reads(double perSecond, double cpuMsPerRead) {
  }

  /** Reads without measuring their CPU. */
  public ReadCeilingBenchmark(BenchmarkSettings settings, ApiClient api, ResultTable table) {
    this(settings, api, table, null);
  }

  /** @param cpu what CPU to measure, or null for none */
  public ReadCeilingBenchmark(BenchmarkSettings settings, ApiClient api, ResultTable table, CpuCost cpu) {
    this.settings = settings;
    this.api = api;
    this.table = table;
    this.cpu = cpu;
  }

  public void run(List<String> taskIds) throws InterruptedException {
    if (taskIds.isEmpty()) {
      throw new IllegalStateException("the reads need tasks to read: run creates or cancel too");
    }
    List<HttpRequest> gets = taskIds.stream().map(api::get).toList();
    Reads reads = run(SECTION, "GET /v1/tasks/{id}, " + settings.readsConnections() + " connections, closed loop", gets.size(),
        gets::get);
    table.figure(Targets.READS, reads.perSecond());
    table.figure(Targets.CPU_READ, reads.cpuMsPerRead());
  }

  /**
   * Reads, the same way, in another section: {@code request} gives the request for a number below {@code tasks},
   * drawn at random for every read.
   */
  public Reads run(String section, String measure, int tasks, IntFunction<HttpRequest> request)
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
    CpuMeter.Window window = null;
    if (cpu != null) {
      for (long left = warmupEnds - System.nanoTime(); left > 0; left = warmupEnds - System.nanoTime()) {
        LockSupport.parkNanos(left);
      }
      window = cpu.meter().start();
    }
    for (Thread reader : readers) {
      reader.join();
    }
    CpuUsage usage = window == null ? null : window.stop();
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
    double cpuMs = usage == null ? Double.NaN : usage.addTo(table, section, cpu.what(), total, cpu.counted());
    return new Reads(perSecond, cpuMs);
  }
}
