package dev.quench.benchmark.ceiling;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.cpu.CpuMeter;
import dev.quench.benchmark.cpu.CpuUsage;
import dev.quench.benchmark.cpu.ThreadRoles;
import dev.quench.benchmark.creates.TaskCreator;
import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.reads.ReadCeilingBenchmark;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The http ceiling: the reads section's client and loop ({@link ReadCeilingBenchmark}) against
 * {@link HttpCeilingApplication}, serving the JSON of a task the api served in this run. Requests per second and CPU
 * ms per request (the application's threads and its part of the JVM's shared work; quench's idle services and broker
 * are not counted).
 */
public final class HttpCeilingBenchmark {

  private static final String SECTION = "http-ceiling";
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(30);

  private final BenchmarkSettings settings;
  private final ApiClient api;
  private final TaskCreator creator;
  private final String bootstrapServers;
  private final ResultTable table;

  public HttpCeilingBenchmark(BenchmarkSettings settings, ApiClient api, TaskCreator creator,
                              String bootstrapServers, ResultTable table) {
    this.settings = settings;
    this.api = api;
    this.creator = creator;
    this.bootstrapServers = bootstrapServers;
    this.table = table;
  }

  /** @param taskIds tasks of this run; one's JSON is served (a new one is created if there are none) */
  public void run(List<String> taskIds) throws InterruptedException, IOException {
    String id = taskIds.isEmpty()
        ? creator.create(1, TASK_TIMEOUT, "echo", "{\"hello\":\"benchmark\"}", 1).ids().get(0)
        : taskIds.get(0);
    String json = taskJson(id);
    Map<String, Object> task = JsonMapper.builder().build().readValue(json, new TypeReference<>() { });
    ConfigurableApplicationContext app = HttpCeilingApplication.start(task, bootstrapServers);
    try (ApiClient client = new ApiClient("http://localhost:" + HttpCeilingApplication.port(app), "bench-ceiling")) {
      CpuMeter meter = new CpuMeter(ThreadRoles.of(api.port()).withCeiling(client.port()));
      HttpRequest get = client.get(id);
      ReadCeilingBenchmark.Reads reads = new ReadCeilingBenchmark(settings, client, table,
          new ReadCeilingBenchmark.CpuCost(meter, CpuUsage.Counted.HTTP_CEILING, "request"))
          .run(SECTION, String.format(Locale.ROOT, "GET of a task's JSON (%,d bytes, rendered per request) from a bare"
              + " Spring MVC app, the reads' client, %d connections", json.getBytes(StandardCharsets.UTF_8).length,
              settings.readsConnections()), 1, i -> get);
      table.figure(Targets.HTTP_CEILING, reads.perSecond());
    } finally {
      app.close();
    }
  }

  /** The task's JSON as the api answers it: the shape and size the trivial endpoint returns. */
  private String taskJson(String id) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TASK_TIMEOUT.toNanos();
    while (true) {
      HttpResponse<String> response = api.send(api.get(id));
      if (response.statusCode() == 200) {
        return response.body();
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("GET of task " + id + " answered " + response.statusCode());
      }
      Thread.sleep(50);
    }
  }
}
