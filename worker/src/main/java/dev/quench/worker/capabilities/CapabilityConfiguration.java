package dev.quench.worker.capabilities;

import dev.quench.kafka.TopicLayout;
import dev.quench.worker.WorkerProperties;
import dev.quench.worker.spi.TaskHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ProducerFactory;

@Configuration(proxyBeanMethods = false)
class CapabilityConfiguration {

  /** How long a worker's start waits for the broker to confirm its announcements. */
  private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(30);

  @Bean
  CapabilityAnnouncer capabilityAnnouncer(WorkerProperties worker, TopicLayout topics, List<TaskHandler> handlers,
                                          ProducerFactory<?, ?> producers) {
    Map<String, Object> config = new HashMap<>(producers.getConfigurationProperties());
    // A plain idempotent producer: an announcement is idempotent by its key, and needs no transaction.
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "quench-worker-" + worker.id() + "-capabilities");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new CapabilityAnnouncer(() -> new KafkaProducer<>(config), topics.topics().capabilities(), handlers,
        worker.id(), Clock.systemUTC(), CONFIRM_TIMEOUT);
  }
}
