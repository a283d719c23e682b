package dev.quench.standalone;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * One Prometheus registry for the three services of the embedded default, scraped at the api's
 * {@code /actuator/prometheus}. Each service keeps its own Spring metrics setup (meter filters, histogram settings,
 * binders) on a registry of its own, a composite whose only member is the shared one, and tags every meter with
 * {@code service} ({@code api}, {@code worker}, {@code projector}), so their meters never collide.
 *
 * <p>The JVM is one: its meters (memory, threads, GC, CPU, log events) come from the api alone, else each would be
 * there three times. A service that stops takes its meters out of the shared registry, so one started again in the
 * same JVM registers its gauges afresh instead of finding the dead instance's.
 */
final class SharedMetrics {

  /** Meter name prefixes of the one JVM and machine, bound by Spring Boot in every context. */
  private static final String[] JVM_WIDE = {"jvm", "process", "system", "disk", "logback"};

  private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /**
   * What a service's context needs to write to the shared registry: its {@code service} tag, its own registry, and,
   * for the one that serves HTTP, the scrape endpoint over everything.
   */
  ApplicationContextInitializer<ConfigurableApplicationContext> forService(String service, boolean servesScrape) {
    return context -> {
      Map<String, Object> properties = new HashMap<>();
      properties.put("management.metrics.tags.service", service);
      // The service's own Prometheus registry would hold its meters only; the shared one is registered below.
      properties.put("management.prometheus.metrics.export.enabled", "false");
      if (!servesScrape) {
        for (String prefix : JVM_WIDE) {
          properties.put("management.metrics.enable." + prefix, "false");
        }
      }
      context.getEnvironment().getPropertySources().addFirst(
          new MapPropertySource("quench-standalone-metrics-" + service, properties));
      // Bean definitions, not finished singletons: Spring Boot's meter filters, customizers and binders apply only to
      // beans the context creates, and the endpoint is found by its bean's type.
      GenericApplicationContext beans = (GenericApplicationContext) context;
      ServiceMeterRegistry own = new ServiceMeterRegistry(prometheus);
      beans.registerBean("quenchServiceMeterRegistry", MeterRegistry.class, () -> own);
      if (servesScrape) {
        beans.registerBean("prometheusEndpoint", PrometheusScrapeEndpoint.class,
            () -> new PrometheusScrapeEndpoint(prometheus.getPrometheusRegistry(), new Properties()));
      }
      context.addApplicationListener(event -> {
        if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
          own.close();
        }
      });
    };
  }

  /** A service's registry: its meters go to the shared one, and leave it when the service stops. */
  private static final class ServiceMeterRegistry extends CompositeMeterRegistry {

    private final MeterRegistry shared;

    ServiceMeterRegistry(MeterRegistry shared) {
      this.shared = shared;
      add(shared);
    }

    /** Takes this service's meters out of the shared registry; never closes the shared registry itself. */
    @Override
    public synchronized void close() {
      for (Meter meter : getMeters()) {
        shared.remove(meter.getId());
      }
      clear();
    }
  }
}
