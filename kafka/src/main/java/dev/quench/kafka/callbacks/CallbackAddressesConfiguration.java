package dev.quench.kafka.callbacks;

import java.util.List;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * {@code quench.callbacks.allow-http} (false unless set) and {@code quench.callbacks.allowed-networks} (a list of
 * CIDR blocks, none unless set) as the {@link CallbackAddresses} of a service: imported by the api, which checks a
 * callback when a task asks for it, and by the deliverer, which checks it again when it sends.
 */
@Configuration(proxyBeanMethods = false)
public class CallbackAddressesConfiguration {

  @Bean
  CallbackAddresses callbackAddresses(Environment environment) {
    Binder binder = Binder.get(environment);
    boolean allowHttp = binder.bind("quench.callbacks.allow-http", Boolean.class).orElse(false);
    List<String> networks = binder.bind("quench.callbacks.allowed-networks", String[].class).map(List::of)
        .orElse(List.of());
    return new CallbackAddresses(allowHttp, networks);
  }
}
