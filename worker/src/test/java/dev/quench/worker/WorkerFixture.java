package dev.quench.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.Uuids;
import dev.quench.events.testing.LogReader;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Workers on the shared real broker, fed through the requests topic the way the api feeds them, and the log they
 * write read back with a plain consumer. One fixture per test class: its own topics.
 */
final class WorkerFixture implements AutoCloseable {

  static final int PARTITIONS = 2;

  final String bootstrap = SharedKafkaBroker.bootstrapServers();
  final String prefix = SharedKafkaBroker.uniquePrefix();
  final Topics topics = Topics.withPrefix(prefix);
  final LogReader reader = new LogReader(bootstrap);
  private final EventCodec codec = new EventCodec();
  private final JsonMapper json = JsonMapper.builder().build();
  private final KafkaProducer<String, byte[]> producer;
  private final KafkaProducer<String, byte[]> transactional;
  private final List<ConfigurableApplicationContext> workers = new ArrayList<>();
  private final List<Process> crashable = new ArrayList<>();

  WorkerFixture() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(config);
    Properties txConfig = new Properties();
    txConfig.putAll(config);
    txConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "test-api-batches");
    transactional = new KafkaProducer<>(txConfig);
    transactional.initTransactions();
  }

  /**
   * Starts a worker; {@code settings} are {@code quench.worker.*} keys without the prefix, and replace the fixture's
   * own (short grace periods, so tests of forced stops are quick).
   */
  ConfigurableApplicationContext startWorker(String id, Map<String, String> settings, Class<?>... extraSources) {
    List<String> args = arguments(id, settings);
    List<Class<?>> sources = new ArrayList<>(List.of(WorkerApplication.class));
    sources.addAll(List.of(extraSources));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(Class[]::new))
        .run(args.toArray(String[]::new));
    workers.add(context);
    return context;
  }

  /**
   * Starts a worker as a process of its own, to {@link Process#destroyForcibly() kill} it as a crash would; returns
   * once it owns partitions.
   */
  Process startCrashableWorker(String id, Map<String, String> settings) {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), CrashableWorker.class.getName(),
        Long.toString(ProcessHandle.current().pid()), "--spring.main.banner-mode=off",
        "--logging.level.org.apache.kafka=WARN",
        // A crashed or frozen member's partitions move after 2 s instead of the worker's 10 (the test broker allows
        // it): tests of crashes wait out this timeout by design. Four heartbeats a session, so a busy machine that
        // delays one or two does not end a live member's session.
        "--spring.kafka.consumer.properties.session.timeout.ms=2000",
        "--spring.kafka.consumer.properties.heartbeat.interval.ms=500"));
    command.addAll(arguments(id, settings));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(new java.io.File("target/crashable-worker-" + id + ".log")))
          .start();
      crashable.add(process);
      await().atMost(60, SECONDS).until(() -> !process.isAlive() || ownersWith(id) > 0);
      if (!process.isAlive()) {
        throw new IllegalStateException("worker " + id + " exited with " + process.exitValue()
            + "; see target/crashable-worker-" + id + ".log");
      }
      return process;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** SIGSTOPs a worker started by {@link #startCrashableWorker}: every thread of it stands still. */
  void freeze(Process worker) {
    signal(worker, "STOP");
  }

  /** SIGCONTs a frozen worker. */
  void thaw(Process worker) {
    signal(worker, "CONT");
  }

  private static void signal(Process worker, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(worker.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + worker.pid() + " failed");
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits until a member whose client id names {@code id} owns partitions of the workers' group. */
  void awaitOwnersWith(String id) {
    await().atMost(60, SECONDS).until(() -> ownersWith(id) > 0);
  }

  /** SIGKILLs a worker started by {@link #startCrashableWorker}, and waits until it is gone. */
  void crash(Process worker) {
    worker.destroyForcibly();
    try {
      worker.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private List<String> arguments(String id, Map<String, String> settings) {
    List<String> args = new ArrayList<>(List.of(
        "--spring.kafka.bootstrap-servers=" + bootstrap,
        "--quench.topics.prefix=" + prefix,
        "--quench.topics.partitions=" + PARTITIONS,
        "--quench.worker.id=" + id,
        // Several workers in one JVM or on one machine: each its own actuator port.
        "--server.port=0"));
    Map<String, String> worker = new LinkedHashMap<>(Map.of("cancel-grace", "300ms", "abandon-after", "300ms",
        "shutdown-grace", "0s", "poll-timeout", "200ms"));
    worker.putAll(settings);
    worker.forEach((key, value) -> args.add("--quench.worker." + key + "=" + value));
    return args;
  }

  Envelope submit(String capability, String inputJson) {
    return submit(Uuids.v7(System.currentTimeMillis()).toString(), capability, inputJson);
  }

  /** Submits a task whose id the producer's partitioner puts in {@code partition}. */
  Envelope submitTo(int partition, String capability, String inputJson) {
    String taskId;
    do {
      taskId = Uuids.v7(System.currentTimeMillis()).toString();
    } while (Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS != partition);
    return submit(taskId, capability, inputJson);
  }

  private Envelope submit(String taskId, String capability, String inputJson) {
    JsonNode input = json.readTree(inputJson);
    return append(Envelope.of(UUID.randomUUID(), taskId, "acme", Instant.now(), "api", null, "req-" + taskId,
        new TaskSubmitted(capability, null, Map.of(), input, "key-test", null, List.of())));
  }

  /** Submits a subtask of {@code ancestors}' last, as the api does: its ancestors recorded, root first. */
  Envelope submitChild(String capability, String inputJson, List<String> ancestors) {
    String taskId = Uuids.v7(System.currentTimeMillis()).toString();
    return append(Envelope.of(UUID.randomUUID(), taskId, "acme", Instant.now(), "api", null, "req-" + taskId,
        new TaskSubmitted(capability, null, Map.of(), json.readTree(inputJson), "key-test", null, List.of(),
            ancestors.get(ancestors.size() - 1), ancestors)));
  }

  static int partitionOf(String taskId) {
    return Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  /**
   * Appends a cancellation batch as the api does, in one transaction: its header in the batch's home partition and,
   * per partition, one chunk of the targets there, each partition paced at its share of {@code perSecond}.
   *
   * @param cascadeRoot for a cascade, the root of the tree, with a chunk in every partition; else null
   * @return the batch's id
   */
  UUID appendBatch(List<String> targets, Double perSecond, String cascadeRoot) {
    UUID batchId = UUID.randomUUID();
    Instant acceptedAt = Instant.now();
    Map<Integer, List<String>> byPartition = new java.util.TreeMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      if (cascadeRoot != null) {
        byPartition.put(p, new ArrayList<>());
      }
    }
    targets.forEach(t -> byPartition.computeIfAbsent(partitionOf(t), p -> new ArrayList<>()).add(t));
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    Envelope header = Envelope.of(UUID.randomUUID(), batchId.toString(), "acme", acceptedAt, "api", null,
        "req-batch", new dev.quench.events.BatchAccepted("key-test", "bulk", null,
            cascadeRoot == null ? dev.quench.events.BatchSelection.IDS : dev.quench.events.BatchSelection.CASCADE,
            null, cascadeRoot, targets.size(), 0, byPartition.size(), null));
    records.add(record(partitionOf(batchId.toString()), header));
    int chunk = 0;
    for (Map.Entry<Integer, List<String>> share : byPartition.entrySet()) {
      Double rate = perSecond == null ? null : perSecond * share.getValue().size() / targets.size();
      Envelope targetsRecord = Envelope.of(UUID.randomUUID(), batchId.toString(), "acme", acceptedAt, "api", null,
          "req-batch", new dev.quench.events.BatchTargets(chunk++, share.getValue(), false, acceptedAt, rate, 0,
              "bulk", "key-test", cascadeRoot));
      records.add(record(share.getKey(), targetsRecord));
    }
    transactional.beginTransaction();
    records.forEach(transactional::send);
    transactional.commitTransaction();
    return batchId;
  }

  /** Appends a batch's abort to every partition, as the api does. */
  void abortBatch(UUID batchId) {
    transactional.beginTransaction();
    for (int p = 0; p < PARTITIONS; p++) {
      transactional.send(record(p, Envelope.of(UUID.randomUUID(), batchId.toString(), "acme", Instant.now(), "api",
          null, "req-abort", new dev.quench.events.BatchAbortRequested("key-test"))));
    }
    transactional.commitTransaction();
  }

  private ProducerRecord<String, byte[]> record(int partition, Envelope event) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.requests(), partition, event.taskId(),
        codec.encode(event));
    CloudEventHeaders.of(event).forEach((name, value) -> record.headers().add(name, value));
    return record;
  }

  Envelope cancel(String taskId) {
    return append(Envelope.of(UUID.randomUUID(), taskId, "acme", Instant.now(), "api", null, "req-cancel",
        new CancelRequested("test", "key-test")));
  }

  /** Appends a request as the api does: with its CloudEvents headers, which the worker's cancel watch reads. */
  Envelope append(Envelope request) {
    send(request.taskId(), codec.encode(request), CloudEventHeaders.of(request));
    return request;
  }

  void send(String key, byte[] value) {
    send(key, value, Map.of());
  }

  void send(String key, byte[] value, Map<String, byte[]> headers) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.requests(), key, value);
    headers.forEach((name, header) -> record.headers().add(name, header));
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  List<Envelope> history(String taskId) {
    return reader.history(topics.log(), taskId);
  }

  /** The task's event types in log order, without progress reports (how many there are depends on timing). */
  List<EventType> types(String taskId) {
    return history(taskId).stream().map(Envelope::type).filter(t -> t != EventType.TASK_PROGRESSED).toList();
  }

  /** Waits until {@code count} workers of this fixture's deployment each own at least one partition. */
  void awaitOwners(int count) {
    await().atMost(30, SECONDS).until(() -> ownersWith(null) == count);
  }

  /** How many members of the workers' group own partitions; only those whose client id names {@code id}, if set. */
  private long ownersWith(String id) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.describeConsumerGroups(List.of(prefix + "quench-worker")).all().get().values().iterator().next()
          .members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty())
          .filter(m -> id == null || m.clientId().equals("quench-worker-" + id)).count();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
        return 0; // no worker has joined yet
      }
      throw e;
    }
  }

  @Override
  public void close() {
    workers.forEach(ConfigurableApplicationContext::close);
    crashable.forEach(this::crash);
    producer.close();
    transactional.close();
  }
}
