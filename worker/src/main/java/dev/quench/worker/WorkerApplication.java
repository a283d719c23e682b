package dev.quench.worker;

import dev.quench.kafka.QuenchTopicsConfiguration;
import dev.quench.kafka.TopicLayout;
import dev.quench.kafka.lag.LagWatch;
import dev.quench.kafka.lag.LagWatchConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/** Runs a quench worker. */
@SpringBootApplication
@ConfigurationPropertiesScan
// Defaults in a file of its own, not application.properties: the standalone launcher puts every module on one
// classpath, where same-named files would shadow each other. Environment variables still override it.
@PropertySource("classpath:quench-worker.properties")
@Import({QuenchTopicsConfiguration.class, LagWatchConfiguration.class})
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }

  /** The workers' group, whose lag behind the requests topic is a meter ({@code quench.kafka.consumer.lag}). */
  @Bean
  LagWatch.Group workerGroup(TopicLayout layout) {
    return new LagWatch.Group(layout.topics().prefix() + "quench-worker", layout.topics().requests(),
        layout.partitions());
  }
}
