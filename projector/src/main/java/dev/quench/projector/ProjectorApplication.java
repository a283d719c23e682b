package dev.quench.projector;

import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.TopicSettings;
import dev.quench.kafka.QuenchTopicsConfiguration;
import dev.quench.kafka.TopicLayout;
import dev.quench.kafka.lag.LagWatch;
import dev.quench.kafka.lag.LagWatchConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Folds {@code tasks.log} into {@code tasks.view}.
 *
 * <p>Defaults come from {@code quench-projector.properties} rather than {@code application.properties}: the
 * standalone launcher puts every module on one classpath, where same-named files would shadow each other. A
 * {@code @PropertySource} has the lowest precedence, so environment variables and arguments still override it.
 *
 * <p>Its HTTP port ({@code server.port}, 8082) serves only the actuator: health, liveness, readiness and
 * {@code /actuator/prometheus}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:quench-projector.properties")
@Import({QuenchTopicsConfiguration.class, LagWatchConfiguration.class})
public class ProjectorApplication {

  /**
   * Follows the log; with {@code --quench.projector.rebuild=true}, rebuilds the read model from the log once and
   * exits.
   */
  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(ProjectorApplication.class);
    boolean rebuild = rebuild(args);
    if (rebuild) {
      // A command that ends: it serves nothing, and must not take the port of a projector running beside it.
      application.setWebApplicationType(WebApplicationType.NONE);
    }
    ConfigurableApplicationContext context = application.run(args);
    if (rebuild) {
      System.exit(SpringApplication.exit(context));
    }
  }

  /** Whether {@code quench.projector.rebuild} is true in the arguments or the environment, before any context. */
  private static boolean rebuild(String[] args) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
    return Binder.get(environment).bind("quench.projector.rebuild", Boolean.class).orElse(false);
  }

  /** The group whose lag {@code quench.kafka.consumer.lag} reports: this deployment's projectors on the log. */
  @Bean
  @ConditionalOnProperty(name = "quench.projector.rebuild", havingValue = "false", matchIfMissing = true)
  LagWatch.Group projectorGroup(ProjectorProperties properties, TopicSettings settings, TopicLayout layout) {
    return new LagWatch.Group(properties.groupIdFor(settings.prefix()), layout.topics().log(), layout.partitions());
  }

  /** The topics, made sure of before anything that consumes or writes them is built. */
  @Bean
  Topics topics(TopicLayout layout) {
    return layout.topics();
  }

  @Bean
  EventCodec eventCodec() {
    return new EventCodec();
  }
}
