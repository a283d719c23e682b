package dev.quench.worker;

import dev.quench.events.OrphanPolicy;
import dev.quench.kafka.InstanceIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code quench.worker.*}.
 *
 * @param id                 this instance's id, unique in the fleet; it names its Kafka clients and the events it
 *                           writes (see {@link InstanceIds})
 * @param concurrency        tasks run at once; more wait as {@code queued}
 * @param cancelGrace        how long a cancelled handler may take to stop on its token before it is interrupted
 * @param abandonAfter       how long after the interrupt the worker gives up on the thread and frees the slot
 * @param progressInterval   the shortest time between two progress events of one task
 * @param orphanPolicy       what to do with a task found running when its worker was lost: fail or rerun
 * @param shutdownGrace      on shutdown, how long running tasks may finish before they are left to the next owner
 * @param transactionTimeout after this, the broker aborts a transaction its worker left open by dying
 * @param pollTimeout        the longest the owner waits for requests when nothing else happens
 * @param commitInterval     the least time between the starts of two of the owner's transactions: after a quiet
 *                           spell a decision commits at once; under load one transaction carries everything decided
 *                           in the interval, which costs the broker far less per decision (zero: every turn)
 * @param maxTransactionRecords a transaction holding this many records commits without waiting for the interval
 * @param batchHandOnPerTurn the most targets of cancellation batches the owner hands on in one turn
 * @param pricing            what each capability's meter costs, in credits; a capability without a price is free
 */
@ConfigurationProperties("quench.worker")
public record WorkerProperties(
    String id,
    @DefaultValue("4") int concurrency,
    @DefaultValue("5s") Duration cancelGrace,
    @DefaultValue("10s") Duration abandonAfter,
    @DefaultValue("200ms") Duration progressInterval,
    @DefaultValue("fail") OrphanPolicy orphanPolicy,
    @DefaultValue("10s") Duration shutdownGrace,
    @DefaultValue("10s") Duration transactionTimeout,
    @DefaultValue("1s") Duration pollTimeout,
    @DefaultValue("5ms") Duration commitInterval,
    @DefaultValue("5000") int maxTransactionRecords,
    @DefaultValue("2000") int batchHandOnPerTurn,
    Map<String, Price> pricing) {

  /**
   * The price of one capability's meter.
   *
   * @param meter          what is measured, e.g. {@code sleep_time}
   * @param unit           of the quantity, e.g. {@code second}
   * @param creditsPerUnit credits one unit costs
   */
  public record Price(String meter, String unit, BigDecimal creditsPerUnit) {
  }

  public WorkerProperties {
    id = InstanceIds.resolve(id, "worker");
    pricing = pricing == null ? Map.of() : Map.copyOf(pricing);
    if (concurrency < 1) {
      throw new IllegalArgumentException("quench.worker.concurrency must be at least 1, was " + concurrency);
    }
    if (commitInterval.isNegative() || maxTransactionRecords < 1 || batchHandOnPerTurn < 1) {
      throw new IllegalArgumentException("quench.worker.commit-interval must not be negative, and "
          + "max-transaction-records and batch-hand-on-per-turn must be at least 1");
    }
  }
}
