package dev.quench.benchmark.ceiling;

import dev.quench.benchmark.setup.FreePorts;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The trivial endpoint: {@code GET /v1/tasks/{id}} answering one fixed task, rendered by Spring MVC's JSON converter
 * on every request, as the api's answers are. Everything else is what Spring Boot configures from the benchmark's
 * classpath (Tomcat, the actuator's observation filter), as it does for the api; no authentication, no replica, no
 * read barrier: those are what the read ceiling pays on top.
 */
@SpringBootApplication(proxyBeanMethods = false)
class HttpCeilingApplication {

  /** The task every request gets: one the api served, parsed once. */
  record TaskBody(Map<String, Object> json) {
  }

  @RestController
  static class Tasks {

    private final TaskBody body;

    Tasks(TaskBody body) {
      this.body = body;
    }

    @GetMapping("/v1/tasks/{id}")
    Map<String, Object> task(@PathVariable String id) {
      return body.json();
    }
  }

  /**
   * Starts it on a free port, beside quench's services; the caller closes it. A port of its own, not port 0: Tomcat
   * names its threads after the port ({@code http-nio-<port>-exec-1}; {@code http-nio-auto-1-...} for port 0), and
   * the CPU meter tells its threads from the api's by it.
   */
  static ConfigurableApplicationContext start(Map<String, Object> task, String bootstrapServers) {
    return new SpringApplicationBuilder(HttpCeilingApplication.class)
        .web(WebApplicationType.SERVLET)
        .registerShutdownHook(false)
        .initializers(context -> context.getBeanFactory().registerSingleton("ceilingTask", new TaskBody(task)))
        .run("--server.port=" + new FreePorts().next(), "--spring.main.banner-mode=off", "--spring.application.name=bench-http-ceiling",
            // Kafka's auto-configuration is on the classpath: pointed at the run's broker, never at a stray one.
            "--spring.kafka.bootstrap-servers=" + bootstrapServers, "--logging.level.org.apache.kafka=WARN");
  }

  static int port(ConfigurableApplicationContext context) {
    return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
  }
}
