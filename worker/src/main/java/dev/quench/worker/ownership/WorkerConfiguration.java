package dev.quench.worker.ownership;

import dev.quench.events.wire.EventCodec;
import dev.quench.kafka.TopicLayout;
import dev.quench.worker.WorkerProperties;
import dev.quench.worker.spi.TaskHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.ProducerFactory;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

  @Bean
  PartitionOwner partitionOwner(WorkerProperties worker, TopicLayout topics, List<TaskHandler> handlers,
                                ConsumerFactory<?, ?> consumers, ProducerFactory<?, ?> producers, Admin quenchAdmin,
                                MeterRegistry meters) {
    WorkerClients clients = new WorkerClients(consumers.getConfigurationProperties(),
        producers.getConfigurationProperties(), quenchAdmin, worker.id(), topics.topics(),
        worker.transactionTimeout());
    PartitionOwner.OwnerSettings settings = new PartitionOwner.OwnerSettings(worker.id(), worker.concurrency(),
        worker.cancelGrace(), worker.abandonAfter(), worker.progressInterval(), worker.orphanPolicy(),
        worker.shutdownGrace(), worker.pollTimeout(), worker.commitInterval(), worker.maxTransactionRecords(),
        worker.batchHandOnPerTurn());
    Map<String, PriceList.Price> prices = new HashMap<>();
    worker.pricing().forEach((capability, p) -> prices.put(capability,
        new PriceList.Price(p.meter(), p.unit(), p.creditsPerUnit())));
    return new PartitionOwner(settings, topics.topics(), clients, new HandlerRegistry(handlers),
        new PriceList(prices), new EventCodec(), Clock.systemUTC(), meters);
  }
}
