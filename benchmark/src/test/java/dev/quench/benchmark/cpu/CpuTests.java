package dev.quench.benchmark.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.benchmark.report.ResultTable;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuTests {

  private static final long MS = 1_000_000;
  private final ThreadRoles roles = ThreadRoles.of(8080).withCeiling(9090);

  @Test
  void kafkaThreadsGoToTheServiceTheirClientIdNames() {
    assertThat(roles.of("kafka-producer-network-thread | quench-worker-worker-1")).isEqualTo(Role.WORKER);
    assertThat(roles.of("kafka-coordinator-heartbeat-thread | quench-worker")).isEqualTo(Role.WORKER);
    assertThat(roles.of("kafka-producer-network-thread | quench-api-requests")).isEqualTo(Role.API);
    assertThat(roles.of("kafka-producer-network-thread | quench-api-api-1-batches")).isEqualTo(Role.API);
    assertThat(roles.of("kafka-producer-network-thread | quench-projector-projector-1")).isEqualTo(Role.PROJECTOR);
    assertThat(roles.of("kafka-coordinator-heartbeat-thread | bench.prefix.quench-projector"))
        .isEqualTo(Role.PROJECTOR);
    assertThat(roles.of("kafka-admin-client-thread | bench-admin")).isEqualTo(Role.CLIENT);
    // The launcher names each service's admin client (Services); the api's read barrier works through its own.
    assertThat(roles.of("kafka-admin-client-thread | quench-api-api-1-admin")).isEqualTo(Role.API);
    assertThat(roles.of("kafka-producer-network-thread | quench-callbacks-callbacks-1")).isEqualTo(Role.CALLBACKS);
    assertThat(roles.of("quench-callbacks-send-3")).isEqualTo(Role.CALLBACKS);
    // Three services start one each, under one name: shared work.
    assertThat(roles.of("quench-lag-watch")).isEqualTo(Role.OTHER);
    assertThat(roles.of("kafka-admin-client-thread | quench-broker-probe")).isEqualTo(Role.OTHER);
  }

  @Test
  void tomcatThreadsGoByPort() {
    assertThat(roles.of("http-nio-8080-exec-12")).isEqualTo(Role.API);
    assertThat(roles.of("http-nio-8080-Poller")).isEqualTo(Role.API);
    assertThat(roles.of("http-nio-127.0.0.1-8080-Acceptor")).isEqualTo(Role.API);
    assertThat(roles.of("http-nio-9090-exec-1")).isEqualTo(Role.HTTP_CEILING);
    assertThat(roles.of("http-nio-7070-exec-1")).isEqualTo(Role.OTHER);
    assertThat(ThreadRoles.of(8080).of("http-nio-9090-exec-1")).isEqualTo(Role.OTHER);
  }

  @Test
  void servicesNameTheirOwnThreads() {
    assertThat(roles.of("quench-api-replica")).isEqualTo(Role.API);
    assertThat(roles.of("quench-api-read-barrier")).isEqualTo(Role.API);
    assertThat(roles.of("quench-streams-1")).isEqualTo(Role.API);
    assertThat(roles.of("quench-worker-owner")).isEqualTo(Role.WORKER);
    assertThat(roles.of("quench-worker-cancel-watch")).isEqualTo(Role.WORKER);
    assertThat(roles.of("quench-task-7")).isEqualTo(Role.WORKER);
    assertThat(roles.of("quench-task-timer-1")).isEqualTo(Role.WORKER);
    assertThat(roles.of("quench-projector")).isEqualTo(Role.PROJECTOR);
    assertThat(roles.of("quench-rebuild-2")).isEqualTo(Role.PROJECTOR);
  }

  @Test
  void theBenchmarksOwnThreadsAreTheClient() {
    assertThat(roles.of("main")).isEqualTo(Role.CLIENT);
    assertThat(roles.of("bench-reader-3")).isEqualTo(Role.CLIENT);
    assertThat(roles.of("bench-http-2")).isEqualTo(Role.CLIENT);
    assertThat(roles.of("HttpClient-1-SelectorManager")).isEqualTo(Role.CLIENT);
    assertThat(roles.of("bench-cpu-sampler")).isEqualTo(Role.CLIENT);
    assertThat(roles.of("HTTP-Dispatcher")).isEqualTo(Role.CLIENT);
    assertThat(roles.of("Common-Cleaner")).isEqualTo(Role.OTHER);
  }

  @Test
  void sharedWorkIsSplitByThreadCpuAndTheClientsPartLeftOut() {
    // JVM 1,000 ms: threads 600 (api 300, worker 100, projector 50, client 150) plus 40 unclaimed: 400 shared.
    CpuUsage usage = new CpuUsage(Duration.ofSeconds(2), 1000 * MS, 200 * MS, Map.of(Role.API, 300 * MS,
        Role.WORKER, 100 * MS, Role.PROJECTOR, 50 * MS, Role.CLIENT, 150 * MS, Role.OTHER, 40 * MS), Map.of(), "100");
    assertThat(usage.shared()).isEqualTo(400 * MS);
    // The services' threads are 450 of the 600 attributed: three quarters of the shared work.
    assertThat(usage.sharedOf(java.util.Set.of(Role.API, Role.WORKER, Role.PROJECTOR))).isEqualTo(300 * MS);
    assertThat(usage.total(CpuUsage.Counted.SERVICES)).isEqualTo((450 + 300 + 200) * MS);
    assertThat(CpuUsage.perRequestMs(usage.total(CpuUsage.Counted.SERVICES), 1000)).isEqualTo(0.95);
  }

  @Test
  void theCeilingCountsItsAppAloneWithoutTheBroker() {
    CpuUsage usage = new CpuUsage(Duration.ofSeconds(1), 500 * MS, 80 * MS, Map.of(Role.HTTP_CEILING, 200 * MS,
        Role.API, 20 * MS, Role.CLIENT, 180 * MS), Map.of(), "100");
    // 100 ms shared; the app's 200 of 400 attributed: half of it.
    assertThat(usage.total(CpuUsage.Counted.HTTP_CEILING)).isEqualTo(250 * MS);
  }

  @Test
  void tickRoundingNeverMakesSharedWorkNegative() {
    CpuUsage usage = new CpuUsage(Duration.ofSeconds(1), 100 * MS, 0, Map.of(Role.API, 104 * MS), Map.of(), "100");
    assertThat(usage.shared()).isZero();
    assertThat(usage.total(CpuUsage.Counted.SERVICES)).isEqualTo(104 * MS);
  }

  @Test
  void childrenCountTheirDifferenceOrAllTheirTimeIfBornInside() {
    assertThat(CpuMeter.childrenDelta(Map.of(1L, 100L, 2L, 50L), Map.of(1L, 160L, 3L, 30L))).isEqualTo(90);
    assertThat(CpuMeter.childrenDelta(Map.of(1L, 100L), Map.of())).isEqualTo(-1);
  }

  @Test
  void rowsPerProcessAndTheTotal() {
    CpuUsage usage = new CpuUsage(Duration.ofSeconds(2), 1000 * MS, 200 * MS, Map.of(Role.API, 300 * MS,
        Role.WORKER, 100 * MS, Role.PROJECTOR, 50 * MS, Role.CLIENT, 150 * MS), Map.of("Common-Cleaner", MS), "100");
    ResultTable table = new ResultTable();
    double total = usage.addTo(table, "creates", "create", 1000, CpuUsage.Counted.SERVICES);
    assertThat(total).isEqualTo(0.95);
    assertThat(table.rows()).extracting(ResultTable.Row::measure).containsExactly(
        "CPU ms per create: api", "CPU ms per create: worker", "CPU ms per create: projector",
        "CPU ms per create: callbacks", "CPU ms per create: JVM shared work (GC, JIT, VM threads), the part charged", "CPU ms per create: broker",
        "CPU ms per create: all processes, client excluded", "CPU ms per create: client (not in the total)");
    assertThat(table.rows()).extracting(ResultTable.Row::result)
        .containsExactly("0.300 ms", "0.100 ms", "0.050 ms", "0.000 ms", "0.300 ms", "0.200 ms", "0.950 ms", "0.150 ms");
  }

  @Test
  void unreadableProcIsNotMeasured() {
    CpuUsage usage = new CpuUsage(Duration.ofSeconds(1), -1, -1, Map.of(Role.API, MS), Map.of(), "100");
    ResultTable table = new ResultTable();
    assertThat(usage.addTo(table, "reads", "read", 10, CpuUsage.Counted.SERVICES)).isNaN();
    assertThat(table.rows()).singleElement().extracting(ResultTable.Row::result).isEqualTo("not measured");
  }

  @Test
  void aLiveWindowSeesAThreadThatEndedInsideIt() throws InterruptedException {
    CpuMeter.Window window = new CpuMeter(ThreadRoles.of(1)).start();
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Thread busy = new Thread(() -> {
      while (mx.getCurrentThreadCpuTime() < 5 * CpuMeter.INTERVAL_MS * MS) {
        Thread.onSpinWait();
      }
    }, "bench-busy");
    busy.start();
    busy.join();
    CpuUsage usage = window.stop();
    // It spun 500 ms of CPU and ended before the window did: only the samples in between saw it.
    assertThat(usage.thread(Role.CLIENT)).isPositive();
  }
}
