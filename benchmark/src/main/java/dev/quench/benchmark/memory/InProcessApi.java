package dev.quench.benchmark.memory;

import dev.quench.api.ApiApplication;
import dev.quench.benchmark.setup.Kafka;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An api instance in the benchmark's JVM, over topics of its own, so that what its replica holds shows in this
 * JVM's heap.
 */
final class InProcessApi {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private InProcessApi() {
  }

  /** Starts an api over the topics with {@code prefix}; returns once its replica has read the view topic. */
  static ConfigurableApplicationContext start(Kafka kafka, String prefix, int partitions, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
        "--quench.topics.prefix=" + prefix,
        "--quench.topics.partitions=" + partitions,
        "--server.port=0",
        "--quench.api.id=bench-" + prefix.replaceAll("[^a-z0-9]", ""),
        "--quench.api.demo-key=bench-replica-key",
        "--quench.api.startup-timeout=60m",
        "--spring.main.banner-mode=off",
        "--logging.level.org.apache.kafka=WARN"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(ApiApplication.class)
        .main(ApiApplication.class)
        .web(WebApplicationType.SERVLET)
        .registerShutdownHook(false)
        .run(args.toArray(String[]::new));
  }

  /** Used heap after full collections, the least of three readings: what is live, give or take a few MiB. */
  static long usedAfterGc() throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
      least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
