package dev.quench.benchmark.baseline;

import dev.quench.benchmark.BenchmarkSettings;
import dev.quench.benchmark.load.OpenLoop;
import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import dev.quench.benchmark.report.Targets;
import dev.quench.benchmark.setup.Kafka;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka alone does on this broker, as the floor under quench's figures: a producer, two relays and a consumer
 * over three topics, the hops a cancel travels (api -> requests -> worker -> log -> projector -> view -> api
 * replica), with records of a cancel's sizes, the hops' producer settings and as many partitions. Measured at fixed
 * rates (open loop, latency from the due send time) and at full speed; then at the same rates with the first relay
 * committing records and consumed offsets in one transaction per poll, as quench's worker does.
 */
public final class KafkaRelayBenchmark {

  private static final Logger log = LoggerFactory.getLogger(KafkaRelayBenchmark.class);
  private static final String SECTION = "baseline";
  private static final Duration DRAIN = Duration.ofSeconds(30);

  private final BenchmarkSettings settings;
  private final Kafka kafka;
  private final ResultTable table;
  private int runs;

  public KafkaRelayBenchmark(BenchmarkSettings settings, Kafka kafka, ResultTable table) {
    this.settings = settings;
    this.kafka = kafka;
    this.table = table;
  }

  /**
   * @param rates        the fixed rates, per second
   * @param measuredSizes total bytes (value and headers) of the request, outcome and view records of a real cancel,
   *                     0 where unknown (then a synthetic cancel's are used)
   */
  public void run(List<Integer> rates, int[] measuredSizes) throws InterruptedException {
    RecordShape[] shapes = RecordShape.ofCancel(measuredSizes[0], measuredSizes[1], measuredSizes[2]);
    String sizes = shapes[0] + " / " + shapes[1] + " / " + shapes[2];
    table.detail(SECTION, "record_bytes_per_hop", List.of(shapes[0].valueBytes() + shapes[0].headerBytes(),
        shapes[1].valueBytes() + shapes[1].headerBytes(), shapes[2].valueBytes() + shapes[2].headerBytes()));
    int warmupRate = rates.contains(1000) ? 1000 : rates.get(0);
    try (Chain chain = new Chain("bench.relay.", shapes, false)) {
      fixedRate(chain, warmupRate, settings.warmup());
      for (int rate : rates) {
        Result result = fixedRate(chain, rate, settings.baselineDuration());
        table.add(SECTION + " @" + String.format(Locale.ROOT, "%,d", rate) + "/s",
            "due send -> consumer, producer -> A -> relay -> B -> relay -> C", result.latency.summary(),
            result.notes() + "; " + sizes + " per hop");
        table.detail(SECTION, "rate_" + rate, result.toMap());
      }
      Result burst = burst(chain, settings.baselineMaxRecords());
      table.add(SECTION + " max", "records/s through the relay, as fast as the producer sends",
          String.format(Locale.ROOT, "%,.0f records/s", burst.perSecond), burst.notes()
              + "; latency under saturation " + burst.latency.shortSummary());
      table.detail(SECTION, "max_throughput", burst.toMap());
    }
    try (Chain chain = new Chain("bench.relay-tx.", shapes, true)) {
      fixedRate(chain, warmupRate, settings.warmup());
      for (int rate : rates) {
        Result result = fixedRate(chain, rate, settings.baselineDuration());
        table.add(SECTION + " tx @" + String.format(Locale.ROOT, "%,d", rate) + "/s",
            "the same; relay A -> B is a group member committing records and offsets in one transaction per poll "
                + "(the worker's hop without quench)", result.latency.summary(), result.notes());
        table.detail(SECTION, "transactional_rate_" + rate, result.toMap());
        if (rate == 1000) {
          table.figure(Targets.RELAY_TX_1000_P99, result.latency.p99Ms());
        }
      }
    }
  }

  /** What one run measured. */
  private record Result(int records, long arrived, Latency latency, Latency sendLag, double perSecond) {

    String notes() {
      return String.format(Locale.ROOT, "%,d sent, %,d arrived", records, arrived)
          + (sendLag == null ? "" : "; send lag " + sendLag.shortSummary());
    }

    Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("records", records);
      map.put("arrived", arrived);
      map.put("latency", latency.toMap());
      if (sendLag != null) {
        map.put("client_send_lag", sendLag.toMap());
      }
      map.put("records_per_second", Math.round(perSecond));
      return map;
    }
  }

  private Result fixedRate(Chain chain, int rate, Duration duration) throws InterruptedException {
    int records = (int) Math.max(1, rate * duration.toMillis() / 1000);
    Sink.Run run = new Sink.Run(++runs, records);
    chain.sink.measure(run);
    OpenLoop loop = new OpenLoop(System.nanoTime() + 100_000_000, rate);
    Histogram lag = Latency.histogram();
    for (int i = 0; i < records; i++) {
      loop.awaitDue(i);
      Latency.record(lag, System.nanoTime() - loop.dueAt(i));
      chain.send(run.id, i);
    }
    await(run, records, loop.dueAt(records - 1));
    Histogram latency = Latency.histogram();
    for (int i = 0; i < records; i++) {
      long arrived = run.arrived.get(i);
      if (arrived != 0) {
        Latency.record(latency, arrived - loop.dueAt(i));
      }
    }
    return new Result(records, run.count.get(), Latency.of(latency), Latency.of(lag), rate);
  }

  private Result burst(Chain chain, int records) throws InterruptedException {
    Sink.Run run = new Sink.Run(++runs, records);
    chain.sink.measure(run);
    long[] sent = new long[records];
    for (int i = 0; i < records; i++) {
      sent[i] = System.nanoTime();
      chain.send(run.id, i);
    }
    await(run, records, sent[records - 1]);
    Histogram latency = Latency.histogram();
    for (int i = 0; i < records; i++) {
      long arrived = run.arrived.get(i);
      if (arrived != 0) {
        Latency.record(latency, arrived - sent[i]);
      }
    }
    double perSecond = run.count.get() / Math.max(1e-9, (run.last.get() - sent[0]) / 1e9);
    return new Result(records, run.count.get(), Latency.of(latency), null, perSecond);
  }

  private static void await(Sink.Run run, int records, long lastDue) throws InterruptedException {
    long deadline = lastDue + DRAIN.toNanos();
    while (run.count.get() < records && System.nanoTime() - deadline < 0) {
      Thread.sleep(20);
    }
    if (run.count.get() < records) {
      log.warn("relay run {}: {} of {} records arrived", run.id, run.count.get(), records);
    }
  }

  /** Three topics, a source producer, two relays and the sink. */
  private final class Chain implements AutoCloseable {
    final String a;
    final Producer<String, byte[]> source;
    final RecordShape first;
    final Relay toB;
    final Relay toC;
    final Sink sink;

    Chain(String prefix, RecordShape[] shapes, boolean transactional) {
      a = prefix + "a";
      String b = prefix + "b";
      String c = prefix + "c";
      kafka.create(List.of(a, b, c), settings.partitions());
      first = shapes[0];
      source = RelayClients.producer(kafka.bootstrapServers(), "bench-relay-source", null);
      sink = new Sink(kafka.bootstrapServers(), c, settings.partitions());
      toC = new Relay(kafka.bootstrapServers(), b, c, settings.partitions(), shapes[2], false);
      toB = new Relay(kafka.bootstrapServers(), a, b, settings.partitions(), shapes[1], transactional);
      try {
        toB.awaitAssigned();
        toC.awaitAssigned();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    void send(int run, long sequence) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(a, UUID.randomUUID().toString(),
          Payload.of(run, sequence, first.valueBytes()));
      first.headers().forEach((name, value) -> record.headers().add(name, value));
      source.send(record);
    }

    @Override
    public void close() {
      source.close(Duration.ofSeconds(5));
      toB.close();
      toC.close();
      sink.close();
    }
  }
}
