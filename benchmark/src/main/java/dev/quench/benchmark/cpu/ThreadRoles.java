package dev.quench.benchmark.cpu;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@link Role} a thread works for, from its name alone: the services name their own threads
 * ({@code quench-worker-owner}, {@code quench-api-replica}, ...), Kafka's clients name theirs after the client id or
 * group ({@code kafka-producer-network-thread | quench-worker-worker-1}), and Tomcat names its threads after the port
 * ({@code http-nio-8080-exec-3}), which tells the api from the http-ceiling application. What no name tells apart
 * stays {@link Role#OTHER}: the kafka module's {@code quench-lag-watch}, which every service starts under that one
 * name, the JVM's own threads, Tomcat's {@code Catalina-utility-N}.
 *
 * @param apiPort     the api's HTTP port
 * @param ceilingPort the http-ceiling application's port, or 0 when none runs
 */
public record ThreadRoles(int apiPort, int ceilingPort) {

  // Kafka names its background threads "<kind> | <client id or group id>"; quench's ids start with the service's
  // name after an optional topic prefix (e.g. "quench-api-api-1-batches", "<prefix>quench-worker").
  private static final Pattern KAFKA = Pattern.compile("kafka-.* \\| (.*)");
  // http-nio-8080-exec-1, http-nio-8080-Poller, http-nio-127.0.0.1-8080-Acceptor.
  private static final Pattern TOMCAT = Pattern.compile("https?-nio-(?:.+-)?(\\d+)-.*");

  public static ThreadRoles of(int apiPort) {
    return new ThreadRoles(apiPort, 0);
  }

  public ThreadRoles withCeiling(int port) {
    return new ThreadRoles(apiPort, port);
  }

  public Role of(String name) {
    if (name.startsWith("bench-") || name.equals("main") || name.startsWith("HttpClient-")
        || name.equals("HTTP-Dispatcher")) {
      // The benchmark's threads, its main thread (the load loops), the JDK HTTP client's selector, the JDK HTTP
      // server's dispatcher (the notify section's callback receiver: quench serves HTTP with Tomcat only).
      return Role.CLIENT;
    }
    Matcher kafka = KAFKA.matcher(name);
    if (kafka.matches()) {
      return byServiceName(kafka.group(1));
    }
    Matcher tomcat = TOMCAT.matcher(name);
    if (tomcat.matches()) {
      int port = Integer.parseInt(tomcat.group(1));
      if (port == apiPort) {
        return Role.API;
      }
      return ceilingPort != 0 && port == ceilingPort ? Role.HTTP_CEILING : Role.OTHER;
    }
    if (name.startsWith("quench-streams-")) {
      return Role.API;
    }
    if (name.startsWith("quench-task-")) {
      return Role.WORKER;
    }
    if (name.startsWith("quench-rebuild-")) {
      return Role.PROJECTOR;
    }
    return byServiceName(name);
  }

  // A service's name wins over a "bench" start: the benchmark's own fixtures run services under topic prefixes.
  private static Role byServiceName(String id) {
    if (id.contains("quench-api")) {
      return Role.API;
    }
    if (id.contains("quench-worker")) {
      return Role.WORKER;
    }
    if (id.contains("quench-projector")) {
      return Role.PROJECTOR;
    }
    if (id.contains("quench-callbacks")) {
      return Role.CALLBACKS;
    }
    return id.startsWith("bench") ? Role.CLIENT : Role.OTHER;
  }
}
