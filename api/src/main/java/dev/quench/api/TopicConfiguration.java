package dev.quench.api;

import dev.quench.events.wire.TopicAdmin;
import dev.quench.events.wire.TopicSettings;
import dev.quench.events.wire.Topics;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;

/** quench's topics: their settings ({@code quench.topics.*}), checked, with the partition count they really have. */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

  /**
   * The topics as they are.
   *
   * @param partitions what the topics have, which the api needs to name a task's partition: not necessarily what
   *                   {@code quench.topics.partitions} asks for, if they existed already
   */
  record TopicLayout(Topics topics, int partitions) {
  }

  @Bean
  TopicSettings topicSettings(Environment environment) {
    return Binder.get(environment).bindOrCreate("quench.topics", TopicSettings.class);
  }

  /** On Spring Boot's settings: bootstrap servers, security, service connections. */
  @Bean(destroyMethod = "close")
  Admin apiAdmin(KafkaAdmin kafkaAdmin) {
    return Admin.create(kafkaAdmin.getConfigurationProperties());
  }

  @Bean
  TopicLayout topicLayout(Admin apiAdmin, TopicSettings settings) {
    Duration timeout = Duration.ofSeconds(60);
    return new TopicLayout(settings.topics(),
        TopicAdmin.ensure(new KafkaTopicAdmin(apiAdmin, timeout), settings.specs(), timeout));
  }
}
