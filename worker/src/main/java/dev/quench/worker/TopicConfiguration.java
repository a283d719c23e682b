package dev.quench.worker;

import dev.quench.events.wire.TopicAdmin;
import dev.quench.events.wire.TopicSettings;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;

/** quench's topics: their settings ({@code quench.topics.*}), and an admin client that made sure they exist. */
@Configuration(proxyBeanMethods = false)
class TopicConfiguration {

  @Bean
  TopicSettings topicSettings(Environment environment) {
    return Binder.get(environment).bindOrCreate("quench.topics", TopicSettings.class);
  }

  /** On Spring Boot's settings (bootstrap servers, security, service connections), once the topics are right. */
  @Bean(destroyMethod = "close")
  Admin workerAdmin(KafkaAdmin kafkaAdmin, TopicSettings topics) {
    Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties());
    Duration timeout = Duration.ofSeconds(60);
    TopicAdmin.ensure(new KafkaTopicAdmin(admin, timeout), topics.specs(), timeout);
    return admin;
  }
}
