package dev.quench.api;

import dev.quench.api.auth.ApiKeys;
import dev.quench.api.auth.Caller;
import dev.quench.api.capabilities.CapabilityCatalog;
import dev.quench.api.log.BatchLog;
import dev.quench.api.log.BatchStore;
import dev.quench.api.log.BrokerWatch;
import dev.quench.api.log.MemoryViewStore;
import dev.quench.api.log.ReplicaStaleness;
import dev.quench.api.log.RequestLog;
import dev.quench.api.log.RocksViewStore;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.log.ViewStore;
import dev.quench.api.logging.SecretRedaction;
import dev.quench.api.ratelimit.RateLimiter;
import dev.quench.api.streams.EventStreams;
import dev.quench.api.streams.StreamProperties;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.TopicLayout;
import dev.quench.kafka.lag.LagWatch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ApiConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  EventCodec eventCodec() {
    return new EventCodec();
  }

  @Bean(destroyMethod = "close")
  RequestLog requestLog(ProducerFactory<?, ?> producers, TopicLayout layout, EventCodec codec,
                        ApiProperties api) {
    return new RequestLog(producers.getConfigurationProperties(), layout.topics().requests(), layout.partitions(),
        codec, (int) api.appendTimeout().toMillis());
  }

  @Bean(destroyMethod = "close")
  BatchLog batchLog(ProducerFactory<?, ?> producers, TopicLayout layout, EventCodec codec, ApiProperties api) {
    return new BatchLog(producers.getConfigurationProperties(), layout.topics().requests(),
        layout.topics().prefix() + "quench-api-" + api.id() + "-batches", codec, api.appendTimeout());
  }

  @Bean(destroyMethod = "close")
  ViewStore viewStore(ApiProperties api, EventCodec codec) {
    if (api.replicaStore().equals("rocksdb")) {
      log.info("the view replica keeps its views on disk in {}", api.replicaPath());
      return new RocksViewStore(api.replicaPath(), api.replicaCache().toBytes(), codec);
    }
    return new MemoryViewStore(codec);
  }

  @Bean
  TaskViewReplica taskViewReplica(ConsumerFactory<?, ?> consumers, ViewStore views, Admin quenchAdmin,
                                  TopicLayout layout, EventCodec codec, Clock clock,
                                  ApiProperties api, BrokerWatch broker) {
    Topics topics = layout.topics();
    Map<String, Object> config = followerConfig(consumers, "quench-api-replica-" + api.id());
    // A cancellation batch is appended in a transaction: only a committed batch is one. Views and other requests are
    // written without one, so for them the last stable offset is the high watermark.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Function<Set<TopicPartition>, Map<TopicPartition, Long>> ends = partitions -> {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      Map<TopicPartition, Long> found = new HashMap<>();
      try {
        // The high watermark, not the last stable offset: a batch's commit returns before the broker has written its
        // markers, so for a moment the last stable offset is still below a batch that was acknowledged; and while a
        // batch transaction is open, a create appended after it is acknowledged but above the last stable offset. The
        // read_committed replica passes the high watermark only once every transaction below it has ended, so a read
        // waits for an open batch (seconds at most: BatchLog's transaction timeout) rather than miss what is behind it.
        quenchAdmin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
            .get(api.catchUpTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .forEach((tp, info) -> found.put(tp, info.offset()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("cannot read end offsets", e);
      }
      return found;
    };
    return new TaskViewReplica(() -> new KafkaConsumer<>(config), views, new BatchStore(codec), ends, broker::reachable, topics,
        layout.partitions(), codec,
        clock, api.pendingLookback(), api.startupTimeout(), api.idempotencyRetention());
  }

  @Bean
  CapabilityCatalog capabilityCatalog(ConsumerFactory<?, ?> consumers, TopicLayout layout, ApiProperties api) {
    Map<String, Object> config = followerConfig(consumers, "quench-api-capabilities-" + api.id());
    return new CapabilityCatalog(() -> new KafkaConsumer<>(config), layout.topics().capabilities(),
        api.startupTimeout());
  }

  /** A consumer that reads whole topics itself, without a group. */
  private static Map<String, Object> followerConfig(ConsumerFactory<?, ?> consumers, String clientId) {
    Map<String, Object> config = new HashMap<>(consumers.getConfigurationProperties());
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // What it reads is written without transactions: read_uncommitted reads the same records, and its end offsets
    // are the high watermark, so catching up at start cannot stop short at a stale last stable offset.
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    return config;
  }

  /** The {@code replica} health component and the replica's staleness metrics, fed the view topic's end offsets. */
  @Bean
  ReplicaStaleness replicaHealthIndicator(TaskViewReplica replica, ObjectProvider<MeterRegistry> registry,
                                          Clock clock, ApiProperties api, LagWatch lagWatch, TopicLayout layout) {
    ReplicaStaleness staleness = new ReplicaStaleness(replica, registry.getIfAvailable(SimpleMeterRegistry::new),
        clock, api.replicaMaxStaleness());
    lagWatch.watchEnds(layout.topics().view(), layout.partitions(), staleness);
    return staleness;
  }

  /** Requests waiting for a task to end ({@code Prefer: wait}, a Scout cancel): each holds no thread, only memory. */
  @Bean
  MeterBinder waitingRequests(TaskViewReplica replica) {
    return registry -> Gauge.builder("quench.api.requests.waiting", replica, TaskViewReplica::waiting)
        .description("requests waiting for a task to end").register(registry);
  }

  /** The Server-Sent Events streams of this instance, fed by the replica's views. */
  @Bean(destroyMethod = "close")
  EventStreams eventStreams(TaskViewReplica replica, StreamProperties streams,
                            ObjectProvider<MeterRegistry> registry) {
    return new EventStreams(replica, streams, registry.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  BrokerWatch brokerWatch(Admin quenchAdmin, Clock clock) {
    return new BrokerWatch(quenchAdmin, Duration.ofMillis(500), clock);
  }

  @Bean
  RateLimiter rateLimiter(ApiProperties api, Clock clock) {
    return new RateLimiter(api.rateLimitsByKey(), api.rateLimit(), clock);
  }

  @Bean
  ApiKeys apiKeys(ApiProperties api) {
    ApiKeys keys = new ApiKeys();
    for (ApiProperties.Key key : api.keys()) {
      keys.add(key.sha256(), new Caller(key.id(), key.tenant(), key.scopes() == null ? Caller.ALL_SCOPES
          : key.scopes()));
    }
    if (api.demoKey() != null && !api.demoKey().isBlank()) {
      // Also when the logging was set up from another environment (another service of this JVM started first).
      SecretRedaction.register(api.demoKey());
      keys.add(ApiKeys.sha256(api.demoKey()), new Caller("demo", "demo", Caller.ALL_SCOPES));
    }
    if (keys.isEmpty()) {
      log.warn("no API keys configured (quench.api.keys or quench.api.demo-key): every /v1 request gets 401");
    }
    return keys;
  }
}
