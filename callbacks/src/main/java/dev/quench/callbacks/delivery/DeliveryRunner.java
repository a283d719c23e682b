package dev.quench.callbacks.delivery;

import dev.quench.callbacks.CallbacksProperties;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.RestartingRun;
import dev.quench.kafka.callbacks.CallbackAddresses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Delivery's place in the application context: one {@link RestartingRun} of {@link DeliveryLoop}s (a failed one is
 * replaced by a fresh one that restores from the log) and the pool of threads that send. Sends still in flight at a
 * stop are abandoned, never recorded: the partition's next owner sends them again, with the same {@code webhook-id}.
 */
@Component
final class DeliveryRunner implements SmartLifecycle, DeliveryView {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRunner.class);

  private final DeliveryClients clients;
  private final Topics topics;
  private final CallbacksProperties properties;
  private final DeliveryStatus status = new DeliveryStatus(Clock.systemUTC());
  private final DeliveryMeters meters;
  private final RestartingRun delivery;
  private ExecutorService senders;

  DeliveryRunner(DeliveryClients clients, Admin quenchAdmin, EventCodec codec, Topics topics,
                 CallbacksProperties properties, CallbackAddresses addresses,
                 ObjectProvider<MeterRegistry> registry, ObjectProvider<SslBundles> sslBundles) {
    this.clients = clients;
    this.topics = topics;
    this.properties = properties;
    WebhookSender sender = new WebhookSender(addresses, properties.connectTimeout(), properties.readTimeout(),
        (int) properties.maxResponse().toBytes(), tls(properties, sslBundles));
    WebhookSigner signer = new WebhookSigner(properties.secretsByTenant());
    CallbackPayload payload = new CallbackPayload(properties.usdPerCredit());
    this.meters = new DeliveryMeters(registry.getIfAvailable(SimpleMeterRegistry::new), status, Clock.systemUTC());
    // A stop waits this long for the loop to leave its group; a send stuck on a receiver is not waited for.
    this.delivery = new RestartingRun("quench-callbacks", false,
        running -> new DeliveryLoop(clients.logConsumer(), clients.producer(), quenchAdmin, codec, topics.log(),
            properties.retrySchedule(), sender, signer, payload, senders, "callbacks/" + properties.id(),
            Clock.systemUTC(), properties.pollTimeout(), properties.recordInterval(), running, meters, status),
        properties.restartBackoff(), Duration.ofSeconds(15), e -> {
          meters.runFailed();
          status.failed(e);
        }, status::ended);
    if (properties.secretsByTenant().isEmpty()) {
      log.warn("no callback signing secrets configured (quench.callbacks.secrets or quench.callbacks.demo-secret): "
          + "every callback will be given up unsent");
    }
  }

  /** The JVM's default TLS, or the configured bundle's: a receiver with a private CA needs no change to the JVM. */
  private static SSLSocketFactory tls(CallbacksProperties properties, ObjectProvider<SslBundles> bundles) {
    if (properties.sslBundle() == null || properties.sslBundle().isBlank()) {
      return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    SslBundles all = bundles.getIfAvailable();
    if (all == null) {
      throw new IllegalStateException("quench.callbacks.ssl-bundle is set but no SSL bundles are configured");
    }
    SslBundle bundle = all.getBundle(properties.sslBundle());
    log.info("https callbacks are checked against SSL bundle '{}', not the JVM's default trust store",
        properties.sslBundle());
    return bundle.createSslContext().getSocketFactory();
  }

  @Override
  public synchronized void start() {
    if (delivery.isRunning()) {
      return;
    }
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "quench-callbacks-send-" + n.incrementAndGet());
      // A send stuck on a receiver must not keep the process alive past a stop.
      t.setDaemon(true);
      return t;
    };
    senders = Executors.newFixedThreadPool(properties.senders(), daemons);
    delivery.start();
    log.info("callbacks {} started: following {} in group {}", properties.id(), topics.log(), clients.groupId());
  }

  @Override
  public synchronized void stop() {
    if (!delivery.isRunning()) {
      return;
    }
    delivery.stop();
    senders.shutdownNow();
    log.info("callbacks {} stopped", properties.id());
  }

  @Override
  public boolean isRunning() {
    return delivery.isRunning();
  }

  @Override
  public DeliveryStatus.Snapshot status() {
    return status.snapshot();
  }

  @Override
  public boolean threadAlive() {
    return delivery.threadAlive();
  }
}
