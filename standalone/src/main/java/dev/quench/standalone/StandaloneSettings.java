package dev.quench.standalone;

import java.nio.file.Path;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * What the launcher itself needs, bound like any Spring property so the environment variables of the README work:
 * {@code QUENCH_DATA_DIR}, {@code QUENCH_BROKER_PORT}, {@code QUENCH_DEMO_API_KEY}, {@code QUENCH_CALLBACK_SECRET},
 * {@code QUENCH_CALLBACK_ALLOW_HTTP}, {@code QUENCH_CALLBACK_ALLOWED_NETWORKS}. Everything else
 * ({@code SERVER_PORT}, {@code QUENCH_WORKER_CONCURRENCY}, ...) goes straight to the service it configures.
 *
 * @param dataDir    the broker's data and anything else on disk; survives restarts
 * @param brokerPort where external Kafka tools reach the broker
 * @param controllerPort the broker's KRaft controller listener ({@code quench.broker.controller-port}); the next port
 *                   after the broker's unless set
 * @param demoApiKey the API key to accept; null to use the one kept in the data directory, or make one
 * @param callbackSecret the demo tenant's callback signing secret ({@code whsec_...}); null to use the one kept in
 *                   the data directory, or make one
 * @param callbackAllowHttp whether callbacks may use plain http ({@code quench.callbacks.allow-http})
 * @param callbackAllowedNetworks CIDR blocks callbacks may reach despite the address rules, comma-separated
 *                   ({@code quench.callbacks.allowed-networks}); empty for none
 */
record StandaloneSettings(Path dataDir, int brokerPort, int controllerPort, String demoApiKey, String callbackSecret,
                          boolean callbackAllowHttp, String callbackAllowedNetworks) {

  BrokerSettings broker() {
    return BrokerSettings.of(dataDir, brokerPort).withControllerPort(controllerPort);
  }

  static StandaloneSettings from(ConfigurableEnvironment environment) {
    Binder binder = Binder.get(environment);
    Path dataDir = binder.bind("quench.data-dir", Path.class).orElse(Path.of("quench-data"));
    int brokerPort = binder.bind("quench.broker.port", Integer.class).orElse(BrokerSettings.DEFAULT_PORT);
    int controllerPort = binder.bind("quench.broker.controller-port", Integer.class).orElse(brokerPort + 1);
    String key = binder.bind("quench.demo-api-key", String.class).orElse(null);
    String secret = binder.bind("quench.callback-secret", String.class).orElse(null);
    boolean allowHttp = binder.bind("quench.callback-allow-http", Boolean.class).orElse(false);
    String networks = binder.bind("quench.callback-allowed-networks", String.class).orElse("");
    return new StandaloneSettings(dataDir.toAbsolutePath(), brokerPort, controllerPort,
        key == null || key.isBlank() ? null : key, secret == null || secret.isBlank() ? null : secret, allowHttp,
        networks.trim());
  }
}
