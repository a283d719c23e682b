package dev.quench.benchmark.cpu;

/** Whose work a thread of the benchmark JVM does. */
public enum Role {

  /** quench's api: Tomcat's threads on its port, the replica, the read barrier, its Kafka clients. */
  API("api"),
  /** quench's worker: the owner, the cancel watch, the task slots, its Kafka clients. */
  WORKER("worker"),
  /** quench's projector: its loop, a rebuild's threads, its Kafka clients. */
  PROJECTOR("projector"),
  /** quench's deliverer of callbacks: its loop, its senders, its Kafka clients; it follows the whole log. */
  CALLBACKS("callbacks"),
  /** The http-ceiling section's bare Spring MVC application: Tomcat's threads on its port. */
  HTTP_CEILING("http-ceiling app"),
  /** The benchmark itself: its HTTP client, load loops, watchers and samplers; never counted as a service's cost. */
  CLIENT("client"),
  /** A Java thread no pattern claims (JVM housekeeping, the launcher's probe): part of the JVM's shared work. */
  OTHER("other");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
