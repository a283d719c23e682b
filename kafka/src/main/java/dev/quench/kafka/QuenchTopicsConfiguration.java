package dev.quench.kafka;

import dev.quench.events.wire.TopicAdmin;
import dev.quench.events.wire.TopicSettings;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * What every service imports: {@code quench.topics.*}, an admin client on Spring Boot's Kafka settings (bootstrap
 * servers, security, service connections), and the topics made sure of ({@link TopicAdmin#ensure}) while the context
 * is built, so a mismatch fails the start before anything consumes or writes.
 */
@Configuration(proxyBeanMethods = false)
public class QuenchTopicsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(QuenchTopicsConfiguration.class);

  /** The longest creating and checking the topics may take before the start fails. */
  static final Duration SETUP_TIMEOUT = Duration.ofSeconds(60);

  @Bean
  TopicSettings topicSettings(Environment environment) {
    return Binder.get(environment).bindOrCreate("quench.topics", TopicSettings.class);
  }

  @Bean(destroyMethod = "close")
  Admin quenchAdmin(KafkaAdmin kafkaAdmin) {
    return new QuenchAdmin(kafkaAdmin.getConfigurationProperties());
  }

  @Bean
  TopicLayout topicLayout(Admin quenchAdmin, TopicSettings settings) {
    int partitions = TopicAdmin.ensure(new KafkaTopicAdmin(quenchAdmin, SETUP_TIMEOUT), settings.specs(),
        SETUP_TIMEOUT);
    if (partitions != settings.partitions()) {
      log.warn("quench.topics.partitions is {} but the existing topics have {} partitions; using {}",
          settings.partitions(), partitions, partitions);
    }
    log.info("topics of '{}' are co-partitioned with {} partitions each", settings.prefix(), partitions);
    return new TopicLayout(settings.topics(), partitions);
  }
}
