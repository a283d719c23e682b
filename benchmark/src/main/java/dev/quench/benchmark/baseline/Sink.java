package dev.quench.benchmark.baseline;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;

/** The relay's last consumer: timestamps each record of the current run when its poll returns. */
final class Sink implements AutoCloseable {

  /** One measured run: when each record arrived, by sequence number; 0 until it did. */
  static final class Run {
    final int id;
    final AtomicLongArray arrived;
    final AtomicLong count = new AtomicLong();
    final AtomicLong last = new AtomicLong();

    Run(int id, int records) {
      this.id = id;
      this.arrived = new AtomicLongArray(records);
    }
  }

  private final Consumer<String, byte[]> consumer;
  private final Thread thread;
  private volatile Run current;
  private volatile boolean running = true;

  Sink(String bootstrapServers, String topic, int partitions) {
    this.consumer = RelayClients.consumer(bootstrapServers, "bench-relay-sink", topic, partitions);
    this.thread = new Thread(this::loop, "bench-relay-sink");
    thread.setDaemon(true);
    thread.start();
  }

  void measure(Run run) {
    current = run;
  }

  private void loop() {
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        long now = System.nanoTime();
        Run run = current;
        if (run == null) {
          continue;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
          if (Payload.run(record.value()) != run.id) {
            continue;
          }
          int sequence = (int) Payload.sequence(record.value());
          if (run.arrived.compareAndSet(sequence, 0, now)) {
            run.count.incrementAndGet();
            run.last.accumulateAndGet(now, Math::max);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
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
