package dev.quench.projector;

import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
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
public class ProjectorApplication {

  public static void main(String[] args) {
    SpringApplication.run(ProjectorApplication.class, args);
  }

  @Bean
  Topics topics(TopicsProperties properties) {
    return Topics.withPrefix(properties.prefix());
  }

  @Bean
  EventCodec eventCodec() {
    return new EventCodec();
  }
}
