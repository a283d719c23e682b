package dev.quench.standalone;

import dev.quench.events.wire.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * quench on one machine: a real Kafka broker as a child process, then the projector, the worker, the deliverer of
 * callbacks and the api. Prints where to find them, which API key to use and which secret signs callbacks. Stops everything, in order, on Ctrl-C or SIGTERM.
 */
public final class QuenchStandalone implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(QuenchStandalone.class);

  private final KafkaBroker broker;
  private final Services services;
  private final String apiKey;
  private final CallbackSecret callbackSecret;
  private final StandaloneSettings settings;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** The demo tenant's callback secret, and where it comes from, for the banner. */
  record CallbackSecret(String secret, String source) {
  }

  private QuenchStandalone(KafkaBroker broker, Services services, String apiKey, CallbackSecret callbackSecret,
                           StandaloneSettings settings) {
    this.broker = broker;
    this.services = services;
    this.apiKey = apiKey;
    this.callbackSecret = callbackSecret;
    this.settings = settings;
  }

  public static void main(String[] args) {
    long started = System.nanoTime();
    QuietKafkaLogs.apply();
    QuenchStandalone quench = start(args);
    StopSignals.onStop(quench::close);
    System.out.println(quench.banner((System.nanoTime() - started) / 1_000_000));
  }

  /** Starts everything with settings from the environment, system properties and {@code args}. */
  static QuenchStandalone start(String... args) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new SimpleCommandLinePropertySource(args));
    StandaloneSettings settings = StandaloneSettings.from(environment);
    String apiKey = settings.demoApiKey() != null ? settings.demoApiKey() : keptApiKey(settings.dataDir());
    CallbackSecret secret = settings.callbackSecret() != null
        ? new CallbackSecret(settings.callbackSecret(), "QUENCH_CALLBACK_SECRET")
        : new CallbackSecret(keptCallbackSecret(settings.dataDir()), "generated, kept in "
            + settings.dataDir().resolve(CALLBACK_SECRET_FILE));
    KafkaBroker broker = KafkaBroker.start(settings.broker());
    try {
      // The broker just started is the only right one: a stray spring.kafka.bootstrap-servers (a system property,
      // an environment variable) must not send the services to another cluster.
      Services services = new Services(Map.of("spring.kafka.bootstrap-servers", broker.bootstrapServers()), Map.of(
          "quench.api.demo-key", apiKey,
          "quench.callbacks.demo-secret", secret.secret(),
          // The api (at create) and the deliverer (at send) apply the same address rules.
          "quench.callbacks.allow-http", String.valueOf(settings.callbackAllowHttp()),
          "quench.callbacks.allowed-networks", settings.callbackAllowedNetworks(),
          // Used when the replica keeps its views on disk (QUENCH_API_REPLICA_STORE=rocksdb): with the other data.
          "quench.api.replica-path", settings.dataDir().resolve("api-replica").toString(),
          "spring.main.banner-mode", "off",
          // The services' own lines matter here; Kafka clients print their whole configuration at INFO.
          "logging.level.org.apache.kafka", "WARN"), args);
      return new QuenchStandalone(broker, services, apiKey, secret, settings);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  String banner(long startupMillis) {
    String url = "http://localhost:" + services.apiPort();
    return String.join(System.lineSeparator(),
        "",
        "quench is running (started in " + startupMillis + " ms)",
        "  API:      " + url + "/v1/tasks",
        "  Console:  " + url + "/console",
        "  API key:  " + apiKey,
        "  Callbacks: signed with " + callbackSecret.secret() + "  (" + callbackSecret.source() + ")",
        "             to " + (settings.callbackAllowHttp() ? "http or https" : "https") + " URLs on public addresses"
            + (settings.callbackAllowedNetworks().isEmpty() ? "" : " or in " + settings.callbackAllowedNetworks())
            + "  (QUENCH_CALLBACK_ALLOW_HTTP, QUENCH_CALLBACK_ALLOWED_NETWORKS)",
        "  Kafka:    " + broker.bootstrapServers() + "  (topics "
            + String.join(", ", Topics.defaults().names()) + ")",
        "  Try:      curl -s -X POST " + url + "/v1/tasks -H 'Authorization: Bearer " + apiKey + "'"
            + " -H 'Content-Type: application/json' -d '{\"capability\":\"sleep\",\"input\":{\"duration_ms\":30000}}'",
        "  Stop:     Ctrl-C",
        "");
  }

  int apiPort() {
    return services.apiPort();
  }

  String apiKey() {
    return apiKey;
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      services.close();
    } catch (RuntimeException e) {
      log.warn("stopping the services failed; stopping the broker anyway", e);
    }
    broker.close();
  }

  static final String CALLBACK_SECRET_FILE = "demo-callback-secret";

  /** The demo key made on the first start and kept with the data, so a restart does not change it. */
  private static String keptApiKey(Path dataDir) {
    return kept(dataDir, "demo-api-key", "the demo API key", random -> "qk_" + HexFormat.of().formatHex(random));
  }

  /**
   * The demo tenant's callback signing secret, made on the first start and kept with the data like the demo key, so
   * a receiver set up with it keeps verifying after a restart.
   */
  private static String keptCallbackSecret(Path dataDir) {
    return kept(dataDir, CALLBACK_SECRET_FILE, "the demo callback secret",
        random -> "whsec_" + java.util.Base64.getEncoder().encodeToString(random));
  }

  private static String kept(Path dataDir, String name, String what,
                             java.util.function.Function<byte[], String> format) {
    Path file = dataDir.resolve(name);
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      Files.createDirectories(dataDir);
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      String key = format.apply(random);
      Files.writeString(file, key, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's own permissions are all there is.
      }
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep " + what + " in " + file, e);
    }
  }
}
