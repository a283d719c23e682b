package dev.quench.standalone;

import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.LogAudit;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.UndecodableRecordException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Reads every quench topic with a plain Kafka consumer, as any outside tool would, and checks what the log alone can
 * show: invariants 1–3 of docs/architecture.md §5 ({@link LogAudit}), every request in the requests topic sequenced
 * into the log (invariant 5), and every view equal to a fresh fold of the log (invariant 4). Exits 1 on any
 * violation.
 *
 * <p>{@code --bootstrap-servers} (default {@code localhost:9092}), {@code --quench.topics.prefix}, {@code --strict}
 * (lag counts as a violation: for a quiet system).
 */
public final class AuditCommand {

  /**
   * What the topics hold.
   *
   * @param eventsByType log events per type
   * @param requests     records in the requests topic
   * @param views        views in the view topic (latest per task)
   * @param deadLetters  records in the dead-letter topic
   * @param statuses     tasks per status, by the fold of the log
   * @param log          the audit of the log
   * @param unsequencedRequests requests the worker has not yet copied into the log
   * @param laggingViews tasks whose view is missing or behind their log
   * @param violations   the log audit's findings plus requests missing from the log and views that differ from the
   *                     fold
   */
  public record Findings(Map<String, Integer> eventsByType, int requests, int views, int deadLetters,
                         Map<String, Integer> statuses, LogAudit.Report log, int unsequencedRequests,
                         int laggingViews, List<String> violations) {
  }

  private AuditCommand() {
  }

  public static void main(String[] args) {
    QuietKafkaLogs.apply();
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
    Binder binder = Binder.get(environment);
    String bootstrap = binder.bind("bootstrap-servers", String.class).orElse("localhost:9092");
    String prefix = binder.bind("quench.topics.prefix", String.class).orElse("");
    boolean strict = binder.bind("strict", Boolean.class).orElse(false);
    Findings findings = audit(bootstrap, Topics.withPrefix(prefix), strict);
    print(findings, System.out);
    System.exit(findings.violations().isEmpty() ? 0 : 1);
  }

  /**
   * Audits the topics. Safe on a live system: views are read first, then requests, then the log, so each view is
   * compared with the fold of the log up to the offset it reflects, and each request read is in the log unless the
   * worker has yet to sequence it.
   *
   * @param strict whether lag is a violation too: a task whose view is behind its log, a request not yet in the log
   *               (true once the system is quiet, as at the end of a test or a chaos run)
   */
  public static Findings audit(String bootstrapServers, Topics topics, boolean strict) {
    EventCodec codec = new EventCodec();
    List<String> violations = new ArrayList<>();
    Map<String, TaskView> views = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : read(bootstrapServers, topics.view())) {
      if (record.value() != null) {
        TaskView view = codec.decodeView(record.value());
        views.merge(view.task().taskId(), view, (a, b) -> b.logOffset() >= a.logOffset() ? b : a);
      }
    }
    List<Envelope> requests = new ArrayList<>();
    int requestRecords = 0;
    for (ConsumerRecord<String, byte[]> record : read(bootstrapServers, topics.requests())) {
      requestRecords++;
      try {
        requests.add(codec.decode(record.value()));
      } catch (UndecodableRecordException e) {
        // Dead-lettered by the worker: not a request.
      }
    }
    List<Envelope> log = new ArrayList<>();
    Map<String, List<Long>> offsets = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : read(bootstrapServers, topics.log())) {
      try {
        Envelope event = codec.decode(record.value());
        log.add(event);
        offsets.computeIfAbsent(event.taskId(), k -> new ArrayList<>()).add(record.offset());
      } catch (UndecodableRecordException e) {
        violations.add("undecodable log record " + record.partition() + "@" + record.offset() + ": " + e.reason());
      }
    }
    LogAudit.Report report = LogAudit.audit(log);
    violations.addAll(report.violations());

    Set<UUID> inLog = new HashSet<>();
    Map<String, List<Envelope>> histories = new LinkedHashMap<>();
    Map<String, Integer> eventsByType = new TreeMap<>();
    for (Envelope e : log) {
      inLog.add(e.eventId());
      histories.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
      eventsByType.merge(e.type().wire(), 1, Integer::sum);
    }
    int unsequenced = 0;
    for (Envelope request : requests) {
      boolean isRequest = request.type() == EventType.TASK_SUBMITTED || request.type() == EventType.CANCEL_REQUESTED;
      if (isRequest && !inLog.contains(request.eventId()) && !isDroppedDuplicate(request, histories)) {
        unsequenced++;
        if (strict) {
          violations.add("request " + request.eventId() + " (" + request.type().wire() + " of task "
              + request.taskId() + ") is not in the log");
        }
      }
    }

    Map<String, Integer> statuses = new TreeMap<>();
    int lagging = 0;
    for (Map.Entry<String, List<Envelope>> entry : histories.entrySet()) {
      String taskId = entry.getKey();
      List<Envelope> history = entry.getValue();
      TaskState folded = TaskState.fold(history);
      if (folded == null) {
        continue;
      }
      statuses.merge(folded.status().wire(), 1, Integer::sum);
      TaskView view = views.get(taskId);
      List<Long> taskOffsets = offsets.get(taskId);
      if (view == null || view.logOffset() < taskOffsets.get(taskOffsets.size() - 1)) {
        lagging++;
        if (strict) {
          violations.add("the view of task " + taskId + (view == null ? " is missing" : " is behind its log"));
        }
      }
      if (view != null) {
        List<Envelope> upToView = new ArrayList<>();
        for (int i = 0; i < history.size() && taskOffsets.get(i) <= view.logOffset(); i++) {
          upToView.add(history.get(i));
        }
        if (!view.task().equals(TaskState.fold(upToView))) {
          violations.add("the view of task " + taskId + " at offset " + view.logOffset()
              + " differs from the fold of its log up to that offset");
        }
      }
    }
    int deadLetters = read(bootstrapServers, topics.deadLetter()).size();
    return new Findings(eventsByType, requestRecords, views.size(), deadLetters, statuses, report, unsequenced,
        lagging, violations);
  }

  /** A second submission of a task id already taken is dropped by design: the log's order decides which counts. */
  private static boolean isDroppedDuplicate(Envelope request, Map<String, List<Envelope>> histories) {
    return request.type() == EventType.TASK_SUBMITTED && histories.getOrDefault(request.taskId(), List.of())
        .stream().anyMatch(e -> e.type() == EventType.TASK_SUBMITTED);
  }

  public static void print(Findings f, PrintStream out) {
    out.println("log events:      " + f.eventsByType());
    out.println("tasks by status: " + f.statuses());
    out.println("tasks: " + f.log().tasks() + ", cancel requests: " + f.log().cancelRequests() + ", requests: "
        + f.requests() + ", views: " + f.views() + ", dead letters: " + f.deadLetters());
    out.println("in flight: " + f.unsequencedRequests() + " requests not yet in the log, " + f.laggingViews()
        + " views behind the log");
    if (f.violations().isEmpty()) {
      out.println("invariants: OK (one terminal event per task, one outcome per cancel, no start after a queued"
          + " cancel, every view equal to the fold of the log up to its offset)");
    } else {
      out.println("VIOLATIONS: " + f.violations().size());
      f.violations().forEach(v -> out.println("  " + v));
    }
  }

  /**
   * Every committed record of {@code topic}. Bounded by the high watermark, not by the read_committed end offset
   * (the last stable offset, which stops short of an open transaction and, right after a broker restart, can be
   * behind): committed records are read up to where every partition ended when the read began.
   */
  public static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Properties uncommitted = new Properties();
    uncommitted.putAll(config);
    uncommitted.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new ByteArrayDeserializer());
         KafkaConsumer<String, byte[]> ends = new KafkaConsumer<>(uncommitted, new StringDeserializer(),
             new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      if (partitions.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrapServers);
      }
      ends.assign(partitions);
      Map<TopicPartition, Long> end = ends.endOffsets(partitions, Duration.ofSeconds(30));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end within 60 s: a transaction "
              + "stays open below it");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            records.add(r);
          }
        });
      }
    }
    return records;
  }
}
