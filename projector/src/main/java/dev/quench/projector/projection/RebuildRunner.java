package dev.quench.projector.projection;

import dev.quench.events.wire.EventCodec;
import dev.quench.projector.ProjectorProperties;
import dev.quench.events.wire.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/** With {@code quench.projector.rebuild=true}: rebuilds the read model from the log once, instead of following it. */
@Component
@ConditionalOnProperty(name = "quench.projector.rebuild", havingValue = "true")
final class RebuildRunner implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(RebuildRunner.class);

  private final ProjectorClients clients;
  private final EventCodec codec;
  private final Topics topics;
  private final ProjectorProperties settings;

  RebuildRunner(ProjectorClients clients, EventCodec codec, Topics topics, ProjectorProperties settings) {
    this.clients = clients;
    this.codec = codec;
    this.topics = topics;
    this.settings = settings;
  }

  @Override
  public void run(ApplicationArguments args) {
    try (Producer<byte[], byte[]> producer = clients.rebuildProducer()) {
      ViewRebuild.Result result = new ViewRebuild(() -> clients.rebuildConsumer(true),
          () -> clients.rebuildConsumer(false), producer, codec, topics, settings.rebuildParallelism()).run();
      log.info("rebuilt the read model of {} from {} log events: {} views in {} ms ({} events/s){}", topics.log(),
          result.events(), result.tasks(), result.elapsed().toMillis(), Math.round(result.eventsPerSecond()),
          result.undecodable() == 0 ? "" : "; " + result.undecodable() + " undecodable records skipped");
    }
  }
}
