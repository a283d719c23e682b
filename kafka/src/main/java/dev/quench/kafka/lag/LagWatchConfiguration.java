package dev.quench.kafka.lag;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What a service imports (beside {@link dev.quench.kafka.QuenchTopicsConfiguration}) to report consumer lag: one
 * {@link LagWatch}, reading every {@code quench.metrics.lag-interval} (10 s unless set), which watches every
 * {@link LagWatch.Group} bean of the context. A service declares its own group as such a bean.
 */
@Configuration(proxyBeanMethods = false)
public class LagWatchConfiguration {

  @Bean
  LagWatch lagWatch(Admin quenchAdmin, ObjectProvider<MeterRegistry> registry, ObjectProvider<LagWatch.Group> groups,
                    Environment environment) {
    Duration interval = Binder.get(environment).bind("quench.metrics.lag-interval", Duration.class)
        .orElse(Duration.ofSeconds(10));
    LagWatch watch = new LagWatch(quenchAdmin, registry.getIfAvailable(SimpleMeterRegistry::new), interval,
        Clock.systemUTC());
    groups.orderedStream().forEach(watch::watch);
    return watch;
  }
}
