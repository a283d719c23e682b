package dev.quench.callbacks.delivery;

import dev.quench.callbacks.CallbacksProperties;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.callbacks.CallbackAddresses;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Owns the delivery thread: starts it with the application context, restarts a failed run with fresh clients (which
 * restore from the log) after a back-off, and stops it by waking its consumer. Sends still in flight at a stop are
 * abandoned, never recorded: the partition's next owner sends them again, with the same {@code webhook-id}.
 */
@Component
final class DeliveryRunner implements SmartLifecycle, DeliveryView {

  private static final Logger log = LoggerFactory.getLogger(DeliveryRunner.class);

  private final DeliveryClients clients;
  private final Admin admin;
  private final EventCodec codec;
  private final Topics topics;
  private final CallbacksProperties properties;
  private final WebhookSender sender;
  private final WebhookSigner signer;
  private final CallbackPayload payload;
  private final DeliveryStatus status = new DeliveryStatus(Clock.systemUTC());
  private final DeliveryMeters meters;
  private final Object backoff = new Object();

  private volatile boolean running;
  private volatile DeliveryLoop current;
  private ExecutorService senders;
  private Thread thread;

  DeliveryRunner(DeliveryClients clients, Admin quenchAdmin, EventCodec codec, Topics topics,
                 CallbacksProperties properties, CallbackAddresses addresses,
                 ObjectProvider<MeterRegistry> registry) {
    this.clients = clients;
    this.admin = quenchAdmin;
    this.codec = codec;
    this.topics = topics;
    this.properties = properties;
    this.sender = new WebhookSender(addresses, properties.connectTimeout(), properties.readTimeout(),
        (int) properties.maxResponse().toBytes(), (SSLSocketFactory) SSLSocketFactory.getDefault());
    this.signer = new WebhookSigner(properties.secretsByTenant());
    this.payload = new CallbackPayload(properties.usdPerCredit());
    this.meters = new DeliveryMeters(registry.getIfAvailable(SimpleMeterRegistry::new), status, Clock.systemUTC());
    if (properties.secretsByTenant().isEmpty()) {
      log.warn("no callback signing secrets configured (quench.callbacks.secrets or quench.callbacks.demo-secret): "
          + "every callback will be given up unsent");
    }
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "quench-callbacks-send-" + n.incrementAndGet());
      // A send stuck on a receiver must not keep the process alive past a stop.
      t.setDaemon(true);
      return t;
    };
    senders = Executors.newFixedThreadPool(properties.senders(), daemons);
    thread = new Thread(this::loop, "quench-callbacks");
    thread.start();
    log.info("callbacks {} started: following {} in group {}", properties.id(), topics.log(), clients.groupId());
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    DeliveryLoop loop = current;
    if (loop != null) {
      loop.wakeup();
    }
    synchronized (backoff) {
      backoff.notifyAll();
    }
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    senders.shutdownNow();
    log.info("callbacks {} stopped", properties.id());
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public DeliveryStatus.Snapshot status() {
    return status.snapshot();
  }

  @Override
  public synchronized boolean threadAlive() {
    return thread != null && thread.isAlive();
  }

  private void loop() {
    while (running) {
      try (DeliveryLoop loop = new DeliveryLoop(clients.logConsumer(), clients.producer(), admin, codec,
          topics.log(), properties.retrySchedule(), sender, signer, payload, senders, "callbacks/" + properties.id(),
          Clock.systemUTC(), properties.pollTimeout(), () -> running, meters, status)) {
        current = loop;
        if (running) {
          loop.run();
        }
      } catch (RuntimeException e) {
        if (running) {
          meters.runFailed();
          status.failed(e);
          log.error("delivery failed; restarting it from the log in {}", properties.restartBackoff(), e);
          pause();
        }
      } finally {
        current = null;
        // What that run knew of its partitions went with it.
        status.ended();
      }
    }
  }

  private void pause() {
    long until = System.nanoTime() + properties.restartBackoff().toNanos();
    synchronized (backoff) {
      long left;
      while (running && (left = until - System.nanoTime()) > 0) {
        try {
          backoff.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
