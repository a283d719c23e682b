package dev.quench.benchmark.memory;

import dev.quench.api.log.RequestLog;
import dev.quench.benchmark.setup.Kafka;
import dev.quench.benchmark.synthetic.SyntheticTasks;
import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Task views for a replica to hold, published to a view topic: real folds of {@link SyntheticTasks} histories (the
 * mix of completed, cancelled and failed tasks), {@value #TEMPLATES} of them, each published many times under other
 * task ids ({@link SyntheticTasks#taskId(long)} of 0 up to the count): every copy decodes into objects of its own,
 * as distinct tasks would.
 */
final class SyntheticViews {

  private static final int TEMPLATES = 1000;

  private SyntheticViews() {
  }

  /** Publishes {@code tasks} views to {@code topics}' view topic; returns the bytes of their values. */
  static long publish(Kafka kafka, Topics topics, int partitions, int tasks) {
    EventCodec codec = new EventCodec();
    SyntheticTasks synthetic = new SyntheticTasks(Instant.now().minus(Duration.ofDays(30)));
    byte[][] templates = new byte[TEMPLATES][];
    for (int n = 0; n < TEMPLATES; n++) {
      List<Envelope> history = synthetic.history(n);
      TaskState task = TaskState.fold(history);
      int partition = RequestLog.partitionFor(task.taskId(), partitions);
      templates[n] = codec.encodeView(new TaskView(task, partition, history.size() - 1L));
    }
    Map<String, Object> config = kafka.bulkProducerConfig("bench-view-writer");
    long bytes = 0;
    try (Producer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
        new ByteArraySerializer())) {
      for (int n = 0; n < tasks; n++) {
        int template = n % TEMPLATES;
        String taskId = SyntheticTasks.taskId(n);
        byte[] view = n < TEMPLATES ? templates[template]
            : replace(templates[template], SyntheticTasks.taskId(template), taskId);
        producer.send(new ProducerRecord<>(topics.view(), RequestLog.partitionFor(taskId, partitions), taskId,
            view));
        bytes += view.length;
      }
      producer.flush();
    }
    return bytes;
  }

  /** {@code bytes} with every occurrence of one task id replaced by another of the same length. */
  static byte[] replace(byte[] bytes, String from, String to) {
    byte[] target = from.getBytes(StandardCharsets.US_ASCII);
    byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
    if (target.length != replacement.length) {
      throw new IllegalArgumentException("task ids of different lengths");
    }
    byte[] copy = bytes.clone();
    outer:
    for (int i = 0; i <= copy.length - target.length; i++) {
      for (int j = 0; j < target.length; j++) {
        if (copy[i + j] != target[j]) {
          continue outer;
        }
      }
      System.arraycopy(replacement, 0, copy, i, replacement.length);
      i += target.length - 1;
    }
    return copy;
  }
}
