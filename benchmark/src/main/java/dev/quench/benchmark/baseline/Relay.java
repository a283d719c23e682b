package dev.quench.benchmark.baseline;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hop of the raw relay: polls a topic and sends each record on to the next topic's partition of the same number
 * (co-partitioned, as quench's topics are), as a record of the next hop's shape. Transactional, it is what quench's
 * worker is without its decisions: a group member that commits one transaction per poll, with the records and the
 * consumed offsets; otherwise it reads without a group, sends and polls on.
 */
final class Relay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final Consumer<String, byte[]> consumer;
  private final Producer<String, byte[]> producer;
  private final String to;
  private final RecordShape shape;
  private final boolean transactional;
  private final Thread thread;
  private final CountDownLatch assigned = new CountDownLatch(1);
  private volatile boolean running = true;

  Relay(String bootstrapServers, String from, String to, int partitions, RecordShape shape, boolean transactional) {
    this.consumer = transactional ? RelayClients.groupConsumer(bootstrapServers, "bench-relay-" + from, from)
        : RelayClients.consumer(bootstrapServers, "bench-relay-" + from, from, partitions);
    this.producer = RelayClients.producer(bootstrapServers, "bench-relay-" + to,
        transactional ? "bench-relay-" + to : null);
    if (transactional) {
      producer.initTransactions();
    }
    this.to = to;
    this.shape = shape;
    this.transactional = transactional;
    this.thread = new Thread(this::loop, "bench-relay-" + from);
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits until the relay reads its partitions (at once without a group, after the first rebalance with one). */
  void awaitAssigned() throws InterruptedException {
    if (!assigned.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the relay to " + to + " was assigned no partitions within 60 s");
    }
  }

  private void loop() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        if (!consumer.assignment().isEmpty()) {
          assigned.countDown();
        }
        if (records.isEmpty()) {
          continue;
        }
        if (transactional) {
          producer.beginTransaction();
        }
        for (ConsumerRecord<String, byte[]> record : records) {
          ProducerRecord<String, byte[]> next = new ProducerRecord<>(to, record.partition(), record.key(),
              Payload.reshape(record.value(), shape.valueBytes()));
          for (Map.Entry<String, byte[]> header : shape.headers().entrySet()) {
            next.headers().add(header.getKey(), header.getValue());
          }
          producer.send(next);
        }
        if (transactional) {
          producer.sendOffsetsToTransaction(records.nextOffsets(), consumer.groupMetadata());
          producer.commitTransaction();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("the relay to {} failed", to, e);
    } finally {
      consumer.close();
      producer.close(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
