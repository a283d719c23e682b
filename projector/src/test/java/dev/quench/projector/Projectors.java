package dev.quench.projector;

import dev.quench.events.testing.SharedKafkaBroker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts whole projector applications on the shared test broker, so a test can stop one and start another. */
public final class Projectors {

  /** Small, so topics are quick to create, yet more than one, so partition numbers are worth checking. */
  public static final int PARTITIONS = 3;

  private Projectors() {
  }

  /**
   * A running projector over the topics of {@code prefix}, in the default group of that prefix.
   *
   * @param overrides more {@code --name=value} arguments, replacing the defaults of the same name
   */
  public static ConfigurableApplicationContext start(String prefix, String... overrides) {
    return start(WebApplicationType.NONE, prefix, overrides);
  }

  /** Like {@link #start}, serving its actuator on a free port ({@code local.server.port}), as a deployed one does. */
  public static ConfigurableApplicationContext startServing(String prefix, String... overrides) {
    String[] all = new String[overrides.length + 1];
    all[0] = "--server.port=0";
    System.arraycopy(overrides, 0, all, 1, overrides.length);
    return start(WebApplicationType.SERVLET, prefix, all);
  }

  private static ConfigurableApplicationContext start(WebApplicationType web, String prefix, String... overrides) {
    Map<String, String> args = new LinkedHashMap<>();
    args.put("spring.kafka.bootstrap-servers", SharedKafkaBroker.bootstrapServers());
    // Goes through Spring Boot's consumer settings into the projector's own consumer; rebalances take seconds
    // with the default of 3 s, because members learn of a rebalance from their next heartbeat.
    args.put("spring.kafka.consumer.heartbeat-interval", "200ms");
    args.put("quench.topics.prefix", prefix);
    args.put("quench.topics.partitions", String.valueOf(PARTITIONS));
    args.put("quench.projector.id", instanceId(prefix));
    args.put("spring.main.banner-mode", "off");
    for (String override : overrides) {
      String[] nameAndValue = override.replaceFirst("^--", "").split("=", 2);
      args.put(nameAndValue[0], nameAndValue[1]);
    }
    return new SpringApplicationBuilder(ProjectorApplication.class)
        .web(web)
        .run(args.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
  }

  public static String instanceId(String prefix) {
    return "test-" + prefix.replace(".", "");
  }

  /** The group a projector of {@code prefix} joins unless told otherwise. */
  public static String defaultGroup(String prefix) {
    return prefix + "quench-projector";
  }
}
