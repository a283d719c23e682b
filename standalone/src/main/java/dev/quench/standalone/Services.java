package dev.quench.standalone;

import dev.quench.api.ApiApplication;
import dev.quench.callbacks.CallbacksApplication;
import dev.quench.projector.ProjectorApplication;
import dev.quench.worker.WorkerApplication;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The projector, the worker, the deliverer of callbacks and the api, each its own Spring application in this JVM, on
 * one Kafka cluster. They share nothing but the cluster, exactly as separate deployables would, and one metrics
 * registry, which the api serves for all of them.
 */
final class Services implements AutoCloseable {

  /** The deployables, in the order they start. */
  enum Service {
    PROJECTOR(ProjectorApplication.class, WebApplicationType.NONE, "quench.projector.id", "projector-1"),
    WORKER(WorkerApplication.class, WebApplicationType.NONE, "quench.worker.id", "worker-1"),
    CALLBACKS(CallbacksApplication.class, WebApplicationType.NONE, "quench.callbacks.id", "callbacks-1"),
    // The only one serving HTTP: its /actuator/prometheus serves the metrics of all three (SharedMetrics).
    API(ApiApplication.class, WebApplicationType.SERVLET, "quench.api.id", "api-1");

    private final Class<?> application;
    // On one classpath every service would find Tomcat and start it: only the api serves HTTP.
    private final WebApplicationType web;
    private final String idProperty;
    private final String id;

    Service(Class<?> application, WebApplicationType web, String idProperty, String id) {
      this.application = application;
      this.web = web;
      this.idProperty = idProperty;
      this.id = id;
    }
  }

  private final Map<Service, ConfigurableApplicationContext> running = new EnumMap<>(Service.class);
  private final SharedMetrics metrics = new SharedMetrics();
  private final Map<String, Object> defaults;
  private final String[] args;

  /**
   * @param forced   properties no other source may change, such as the broker the launcher started: they are passed
   *                 like command-line arguments, the highest precedence there is
   * @param defaults properties every service gets unless its environment says otherwise (environment variables,
   *                 system properties and {@code args} win)
   * @param args     command-line arguments, passed to every service
   */
  Services(Map<String, Object> forced, Map<String, Object> defaults, String... args) {
    this.defaults = Map.copyOf(defaults);
    List<String> all = new ArrayList<>(List.of(args));
    forced.forEach((key, value) -> all.add("--" + key + "=" + value));
    this.args = all.toArray(String[]::new);
    try {
      // Views first, then the worker, then the api that answers from them.
      for (Service service : Service.values()) {
        start(service);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  int apiPort() {
    return Integer.parseInt(running.get(Service.API).getEnvironment().getProperty("local.server.port", "-1"));
  }

  /** Starts one service (again). */
  void start(Service service) {
    Map<String, Object> properties = new HashMap<>(defaults);
    properties.putIfAbsent(service.idProperty, service.id);
    // The services' admin clients in one JVM would otherwise all be "adminclient-N": named, their threads and requests
    // tell which service they belong to (the api's read barrier asks for end offsets through its own).
    properties.putIfAbsent("spring.kafka.admin.client-id",
        "quench-" + service.name().toLowerCase(Locale.ROOT) + "-" + service.id + "-admin");
    ConfigurableApplicationContext context = new SpringApplicationBuilder(service.application)
        .web(service.web)
        .properties(properties)
        .initializers(metrics.forService(service.name().toLowerCase(Locale.ROOT),
            service.web == WebApplicationType.SERVLET))
        // One hook for all, in QuenchStandalone: the api must stop before the worker, everything before the broker.
        .registerShutdownHook(false)
        .run(args);
    running.put(service, context);
  }

  /** Stops one service, gracefully. */
  void stop(Service service) {
    ConfigurableApplicationContext context = running.remove(service);
    if (context != null) {
      context.close();
    }
  }

  /** Stops the api first, so nothing new comes in, then the deliverer, the worker, and the projector. */
  @Override
  public void close() {
    List<Service> order = new ArrayList<>(List.of(Service.values()));
    Collections.reverse(order);
    order.forEach(this::stop);
  }
}
