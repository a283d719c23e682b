package dev.quench.projector;

import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.QuenchTopicsConfiguration;
import dev.quench.kafka.TopicLayout;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * Folds {@code tasks.log} into {@code tasks.view}.
 *
 * <p>Defaults come from {@code quench-projector.properties} rather than {@code application.properties}: the
 * standalone launcher puts every module on one classpath, where same-named files would shadow each other. A
 * {@code @PropertySource} has the lowest precedence, so environment variables and arguments still override it.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:quench-projector.properties")
@Import(QuenchTopicsConfiguration.class)
public class ProjectorApplication {

  /**
   * Follows the log; with {@code --quench.projector.rebuild=true}, rebuilds the read model from the log once and
   * exits.
   */
  public static void main(String[] args) {
    SpringApplication application = new SpringApplication(ProjectorApplication.class);
    // A projector serves no HTTP, even on a class path that has a web server (the standalone one).
    application.setWebApplicationType(WebApplicationType.NONE);
    ConfigurableApplicationContext context = application.run(args);
    if (context.getEnvironment().getProperty("quench.projector.rebuild", Boolean.class, false)) {
      System.exit(SpringApplication.exit(context));
    }
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
