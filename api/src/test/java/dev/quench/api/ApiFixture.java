package dev.quench.api;

import dev.quench.api.auth.ApiKeys;
import dev.quench.events.Envelope;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.testing.ApiClient;
import dev.quench.events.testing.LogReader;
import dev.quench.events.testing.SharedKafkaBroker;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * api instances on the shared real broker, with their own topics, and stand-ins for the worker and the projector:
 * tests announce the capabilities a worker would ({@link #workers}) and publish the views a projector would, so the
 * api is tested on its own.
 */
final class ApiFixture implements AutoCloseable {

  static final int PARTITIONS = 2;
  static final String DEMO_KEY = "demo-key-for-tests";
  static final String OTHER_TENANT_KEY = "key-of-another-tenant";

  final String bootstrap = SharedKafkaBroker.bootstrapServers();
  final String prefix = SharedKafkaBroker.uniquePrefix();
  final Topics topics = Topics.withPrefix(prefix);
  final LogReader reader = new LogReader(bootstrap);
  /** What a worker would have announced: the built-in capabilities, before any api of the fixture starts. */
  final WorkerAnnouncements workers = new WorkerAnnouncements(bootstrap, prefix, PARTITIONS).builtIns();
  private final EventCodec codec = new EventCodec();
  private final Map<String, ConfigurableApplicationContext> apis = new LinkedHashMap<>();
  private KafkaProducer<String, byte[]> viewProducer;

  /** Starts an api instance and returns a client with the demo key. */
  ApiClient startApi(String id, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--spring.kafka.bootstrap-servers=" + bootstrap,
        "--quench.topics.prefix=" + prefix,
        "--quench.topics.partitions=" + PARTITIONS,
        "--quench.api.id=" + id,
        "--quench.api.demo-key=" + DEMO_KEY,
        "--quench.api.keys[0].id=other",
        "--quench.api.keys[0].sha256=" + ApiKeys.sha256(OTHER_TENANT_KEY),
        "--quench.api.keys[0].tenant=other",
        "--quench.api.keys[1].id=reader",
        "--quench.api.keys[1].sha256=" + ApiKeys.sha256("read-only-key"),
        "--quench.api.keys[1].tenant=demo",
        "--quench.api.keys[1].scopes=tasks:read"));
    args.addAll(List.of(extraArgs));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(ApiApplication.class)
        .run(args.toArray(String[]::new));
    apis.put(id, context);
    return new ApiClient("http://localhost:" + context.getEnvironment().getProperty("local.server.port"), DEMO_KEY);
  }

  /** How many requests the api behind {@code client} holds waiting for a task to end, by its own metric. */
  int openWaits(ApiClient client) {
    ApiClient.Response metric = client.get("/actuator/metrics/quench.api.requests.waiting");
    return metric.status() == 200 ? (int) metric.json().at("/measurements/0/value").asDouble() : 0;
  }

  /** Stops an api instance, as an operator would: its replica and everything in memory are gone. */
  void stopApi(String id) {
    apis.remove(id).close();
  }

  /** Publishes the view a projector would write after {@code history}, at a made-up log offset. */
  void publishView(List<Envelope> history, long logOffset) {
    if (viewProducer == null) {
      Properties config = new Properties();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      viewProducer = new KafkaProducer<>(config);
    }
    TaskState state = TaskState.fold(history);
    int partition = dev.quench.api.log.RequestLog.partitionFor(state.taskId(), PARTITIONS);
    try {
      viewProducer.send(new ProducerRecord<>(topics.view(), partition, state.taskId(),
          codec.encodeView(new TaskView(state, partition, logOffset)))).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The requests the api appended for a task, as the worker would read them. */
  List<Envelope> requests(String taskId) {
    return reader.history(topics.requests(), taskId);
  }

  /** The history a worker would write for these requests if it decided each at once. */
  static List<Envelope> decided(List<Envelope> requests, dev.quench.events.TaskCommand... then) {
    List<Envelope> log = new ArrayList<>();
    for (Envelope request : requests) {
      log.addAll(TaskDecider.decide(new dev.quench.events.TaskCommand.Accept(request, "w", request.occurredAt()),
          TaskState.fold(log)));
    }
    for (dev.quench.events.TaskCommand command : then) {
      log.addAll(TaskDecider.decide(command, TaskState.fold(log)));
    }
    return log;
  }

  @Override
  public void close() {
    apis.values().forEach(ConfigurableApplicationContext::close);
    if (viewProducer != null) {
      viewProducer.close();
    }
  }
}
