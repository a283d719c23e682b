package dev.quench.worker;

import dev.quench.kafka.QuenchTopicsConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/** Runs a quench worker. */
@SpringBootApplication
@ConfigurationPropertiesScan
// Defaults in a file of its own, not application.properties: the standalone launcher puts every module on one
// classpath, where same-named files would shadow each other. Environment variables still override it.
@PropertySource("classpath:quench-worker.properties")
@Import(QuenchTopicsConfiguration.class)
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication.run(WorkerApplication.class, args);
  }
}
