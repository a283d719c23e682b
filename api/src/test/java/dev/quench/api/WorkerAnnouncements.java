package dev.quench.api;

import dev.quench.events.capabilities.CapabilityAnnouncement;
import dev.quench.events.capabilities.CapabilityCodec;
import dev.quench.events.wire.TopicAdmin;
import dev.quench.events.wire.TopicSettings;
import dev.quench.kafka.KafkaTopicAdmin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a starting worker writes, for the api's tests, which run without one: the topics made sure of, and
 * capabilities announced on the capabilities topic with their input schemas. The built-ins are announced with the
 * schemas in {@code src/test/resources/capabilities}, as the worker's built-in handlers declare them.
 */
final class WorkerAnnouncements {

  static final List<String> BUILT_INS = List.of("sleep", "echo", "fail");

  private final String bootstrap;
  private final TopicSettings topics;
  private final CapabilityCodec codec = new CapabilityCodec();

  WorkerAnnouncements(String bootstrap, String prefix, int partitions) {
    this.bootstrap = bootstrap;
    this.topics = new TopicSettings(prefix, partitions, (short) 1);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicAdmin.ensure(new KafkaTopicAdmin(admin, Duration.ofSeconds(30)), topics.specs(), Duration.ofSeconds(30));
    }
  }

  /** Announces sleep, echo and fail as a worker with the built-in handlers does. */
  WorkerAnnouncements builtIns() {
    BUILT_INS.forEach(name -> announce(name, resource("/capabilities/" + name + ".schema.json")));
    return this;
  }

  /** Announces {@code capability} with this input schema, and waits until the broker has it. */
  void announce(String capability, String inputSchema) {
    JsonNode schema = JsonMapper.shared().readTree(inputSchema);
    send(capability, codec.encode(new CapabilityAnnouncement(capability, schema, "test-worker", Instant.now())));
  }

  /** Writes a record of any value, as a worker of another build, or an operator's tombstone (null), would. */
  void send(String capability, byte[] value) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topics.topics().capabilities(), capability, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot announce " + capability, e);
    }
  }

  static String resource(String path) {
    try (InputStream in = WorkerAnnouncements.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
