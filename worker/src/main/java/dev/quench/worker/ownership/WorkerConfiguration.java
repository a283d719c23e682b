package dev.quench.worker.ownership;

import dev.quench.events.wire.EventCodec;
import dev.quench.worker.TopicProperties;
import dev.quench.worker.TopicSetup;
import dev.quench.worker.WorkerProperties;
import dev.quench.worker.spi.TaskHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

  @Bean(destroyMethod = "close")
  Admin workerAdmin(KafkaAdmin kafkaAdmin, TopicProperties topics) {
    Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties());
    TopicSetup.ensure(admin, topics.specs());
    return admin;
  }

  @Bean
  PartitionOwner partitionOwner(WorkerProperties worker, TopicProperties topics, List<TaskHandler> handlers,
                                ConsumerFactory<?, ?> consumers, ProducerFactory<?, ?> producers, Admin workerAdmin,
                                MeterRegistry meters) {
    WorkerClients clients = new WorkerClients(consumers.getConfigurationProperties(),
        producers.getConfigurationProperties(), workerAdmin, worker.id(), topics.topics(),
        worker.transactionTimeout());
    PartitionOwner.OwnerSettings settings = new PartitionOwner.OwnerSettings(worker.id(), worker.concurrency(),
        worker.cancelGrace(), worker.abandonAfter(), worker.progressInterval(), worker.orphanPolicy(),
        worker.shutdownGrace(), worker.pollTimeout());
    return new PartitionOwner(settings, topics.topics(), clients, new HandlerRegistry(handlers), new EventCodec(),
        Clock.systemUTC(), meters);
  }
}
