package dev.quench.kafka;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Every quench service, run as its own application, logs its Kafka clients' configuration at WARN: each client
 * prints its whole configuration and a version banner at INFO, some hundred lines per service before it even
 * starts. What clients say about connections, groups and partitions stays at INFO. These are defaults of the lowest
 * precedence: {@code logging.level.org.apache.kafka.common.config.AbstractConfig=INFO} brings the dumps back.
 *
 * <p>An environment post-processor, not a properties file: {@code logging.*} is read before {@code @PropertySource}
 * files are loaded.
 */
public final class QuietKafkaClientConfig implements EnvironmentPostProcessor {

  static final Map<String, Object> LEVELS = Map.of(
      // Logs "ProducerConfig values: ..." and the like, for every client made.
      "logging.level.org.apache.kafka.common.config.AbstractConfig", "WARN",
      // "Kafka version / commitId / startTimeMs", for every client made.
      "logging.level.org.apache.kafka.common.utils.AppInfoParser", "WARN");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    environment.getPropertySources().addLast(new MapPropertySource("quench-kafka-client-log-levels", LEVELS));
  }
}
