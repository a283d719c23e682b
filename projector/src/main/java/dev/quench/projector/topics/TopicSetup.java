package dev.quench.projector.topics;

import dev.quench.events.wire.TopicAdmin;
import dev.quench.events.wire.TopicSettings;
import dev.quench.projector.ProjectorProperties;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Makes sure of the topics ({@link TopicAdmin#ensure}) while the context is built, so it has finished before any
 * lifecycle bean starts consuming, and a mismatch fails startup instead of projecting into the wrong partitions.
 */
@Component
final class TopicSetup implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(TopicSetup.class);

  private final Map<String, Object> adminConfig;
  private final TopicSettings settings;
  private final Duration timeout;

  /** @param kafkaAdmin Spring Boot's, for its client settings: bootstrap servers, security, service connections */
  TopicSetup(KafkaAdmin kafkaAdmin, TopicSettings settings, ProjectorProperties projector) {
    Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "quench-projector-setup-" + projector.id());
    this.adminConfig = config;
    this.settings = settings;
    this.timeout = projector.startupTimeout();
  }

  @Override
  public void afterPropertiesSet() {
    Admin admin = Admin.create(adminConfig);
    try {
      int partitions = TopicAdmin.ensure(new KafkaTopicAdmin(admin, timeout), settings.specs(), timeout);
      if (partitions != settings.partitions()) {
        log.warn("quench.topics.partitions is {} but the existing topics have {} partitions; using {}",
            settings.partitions(), partitions, partitions);
      }
      log.info("topics of '{}' are co-partitioned with {} partitions each", settings.prefix(), partitions);
    } finally {
      // Bounded: after a timeout above, close() would otherwise wait for the abandoned calls.
      admin.close(Duration.ofSeconds(5));
    }
  }
}
