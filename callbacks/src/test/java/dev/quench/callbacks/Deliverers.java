package dev.quench.callbacks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;

import dev.quench.events.CallbackStatus;
import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.testing.LogReader;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.EventCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts whole deliverer applications on the shared test broker (so a test can stop one and start another), and
 * appends to their log what a worker would have.
 */
public final class Deliverers implements AutoCloseable {

  public static final int PARTITIONS = 2;
  /** The signing secret of tenant {@code acme} ({@link dev.quench.events.TaskHistory#TENANT}) in these tests. */
  public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  /** A second secret of {@code acme}, as during a rotation. */
  public static final String NEXT_SECRET = "whsec_dGhlIG5leHQgc2VjcmV0IG9mIGFjbWUsIHJvdGF0ZWQ=";

  public final String prefix = SharedKafkaBroker.uniquePrefix();
  private final EventCodec codec = new EventCodec();
  private final LogReader reader = new LogReader(SharedKafkaBroker.bootstrapServers());
  private KafkaProducer<String, byte[]> producer;

  /**
   * A running deliverer over this prefix's topics: loopback allowed over plain http, a short schedule.
   *
   * @param overrides more {@code --name=value} arguments, replacing the defaults of the same name
   */
  public ConfigurableApplicationContext start(String id, String... overrides) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("spring.kafka.bootstrap-servers", SharedKafkaBroker.bootstrapServers());
    args.put("spring.kafka.consumer.heartbeat-interval", "200ms");
    args.put("quench.topics.prefix", prefix);
    args.put("quench.topics.partitions", String.valueOf(PARTITIONS));
    args.put("quench.callbacks.id", id);
    args.put("quench.callbacks.allow-http", "true");
    args.put("quench.callbacks.allowed-networks", "127.0.0.0/8");
    args.put("quench.callbacks.schedule", "0s,200ms,200ms,200ms");
    // Short enough for a test of a timeout, long enough that a busy machine's slow answer is not taken for one.
    args.put("quench.callbacks.read-timeout", "2s");
    args.put("quench.callbacks.connect-timeout", "2s");
    args.put("quench.callbacks.secrets[0].tenant", "acme");
    args.put("quench.callbacks.secrets[0].signing-secret", SECRET);
    args.put("spring.main.banner-mode", "off");
    for (String override : overrides) {
      String[] nameAndValue = override.replaceFirst("^--", "").split("=", 2);
      args.put(nameAndValue[0], nameAndValue[1]);
    }
    return new SpringApplicationBuilder(CallbacksApplication.class)
        .web(WebApplicationType.NONE)
        .run(args.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
  }

  public String logTopic() {
    return prefix + "tasks.log";
  }

  /** Appends a task that asks for a callback to {@code url} and ends as {@code outcome}; returns its terminal event. */
  public Envelope endedTask(String url, Outcome outcome) {
    TaskHistory task = TaskHistory.task(UUID.randomUUID().toString());
    List<Envelope> log = new ArrayList<>();
    log.addAll(TaskDecider.decide(task.accept(task.submittedWithCallback(url)), null));
    log.addAll(TaskDecider.decide(task.start("0.5"), TaskState.fold(log)));
    log.addAll(TaskDecider.decide(task.finish(1, outcome), TaskState.fold(log)));
    append(log);
    return log.get(log.size() - 1);
  }

  /** The task's events in this prefix's log, as a reader outside the deliverer sees them. */
  public List<Envelope> history(String taskId) {
    return reader.history(logTopic(), taskId);
  }

  /** The task once its callback is no longer pending (delivered or failed), within 20 s. */
  public TaskState settled(String taskId) {
    await().atMost(20, SECONDS).until(() -> TaskState.fold(history(taskId)).callback().status()
        != CallbackStatus.PENDING);
    return TaskState.fold(history(taskId));
  }

  /** Appends {@code events} to the log, keyed by their task, as the owning worker would have. */
  public synchronized void append(List<Envelope> events) {
    if (producer == null) {
      Properties config = new Properties();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
    try {
      for (Envelope e : events) {
        producer.send(new ProducerRecord<>(logTopic(), e.taskId(), codec.encode(e))).get();
      }
    } catch (Exception ex) {
      throw new IllegalStateException(ex);
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close();
    }
  }
}
