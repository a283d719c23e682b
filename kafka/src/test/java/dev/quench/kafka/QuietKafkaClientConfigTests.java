package dev.quench.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** Any Spring application with quench's Kafka plumbing on its class path logs its clients' configuration at WARN. */
class QuietKafkaClientConfigTests {

  private ConfigurableApplicationContext context;

  @Configuration(proxyBeanMethods = false)
  static class Nothing {
  }

  @AfterEach
  void close() {
    if (context != null) {
      context.close();
    }
  }

  private static boolean configDumpsAtInfo() {
    return LoggerFactory.getLogger("org.apache.kafka.common.config.AbstractConfig").isInfoEnabled();
  }

  @Test
  void aServiceLogsItsKafkaClientsConfigurationAtWarnButTheirWorkAtInfo() {
    context = new SpringApplicationBuilder(Nothing.class).web(WebApplicationType.NONE).run();

    assertThat(configDumpsAtInfo()).isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.kafka.common.utils.AppInfoParser").isInfoEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger("org.apache.kafka.clients.consumer.internals.ConsumerCoordinator")
        .isInfoEnabled()).isTrue();
  }

  @Test
  void anOperatorCanHaveTheDumpsBack() {
    context = new SpringApplicationBuilder(Nothing.class).web(WebApplicationType.NONE)
        .run("--logging.level.org.apache.kafka.common.config.AbstractConfig=INFO");

    assertThat(configDumpsAtInfo()).isTrue();
  }
}
