package dev.quench.callbacks;

import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.QuenchTopicsConfiguration;
import dev.quench.kafka.TopicLayout;
import dev.quench.kafka.callbacks.CallbackAddressesConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/**
 * The deliverer of callbacks: follows {@code tasks.log} and, when a task that asked for a callback ends, POSTs it a
 * signed Standard Webhooks callback, recording every attempt in the log.
 *
 * <p>Defaults come from {@code quench-callbacks.properties} rather than {@code application.properties}, for the same
 * reason as the projector's: the standalone launcher puts every module on one classpath.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@PropertySource("classpath:quench-callbacks.properties")
@Import({QuenchTopicsConfiguration.class, CallbackAddressesConfiguration.class})
public class CallbacksApplication {

  public static void main(String[] args) {
    SpringApplication.run(CallbacksApplication.class, args);
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
