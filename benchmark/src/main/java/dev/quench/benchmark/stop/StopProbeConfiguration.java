package dev.quench.benchmark.stop;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Adds the probe handler to the worker. The standalone launcher passes its arguments, {@code spring.main.sources}
 * included, to all three services; only the worker's context has {@code quench.worker.id} (the launcher gives each
 * service its own id property), so only the worker gets the handler.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("quench.worker.id")
public class StopProbeConfiguration {

  @Bean
  StopProbeHandler benchmarkStopProbeHandler() {
    return new StopProbeHandler();
  }
}
