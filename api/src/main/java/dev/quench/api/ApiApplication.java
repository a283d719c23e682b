package dev.quench.api;

import dev.quench.kafka.QuenchTopicsConfiguration;
import dev.quench.kafka.lag.LagWatchConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import dev.quench.kafka.callbacks.CallbackAddressesConfiguration;
import org.springframework.context.annotation.PropertySource;

/** Runs the quench api. */
@SpringBootApplication
@ConfigurationPropertiesScan
// Defaults in a file of its own, not application.properties: the standalone launcher puts every module on one
// classpath, where same-named files would shadow each other. Environment variables still override it.
@PropertySource("classpath:quench-api.properties")
@Import({QuenchTopicsConfiguration.class, LagWatchConfiguration.class, CallbackAddressesConfiguration.class})
public class ApiApplication {

  public static void main(String[] args) {
    SpringApplication.run(ApiApplication.class, args);
  }
}
