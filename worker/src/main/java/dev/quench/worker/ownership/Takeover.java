package dev.quench.worker.ownership;

import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import java.util.Collection;
import java.util.Map;
import java.util.Queue;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a session does when partitions move (runs inside {@code poll()}, on the owner thread): a partition it gets is
 * restored from its log, its inbox marked to be read before anything of it starts, and runs the log says are no
 * longer anyone's noted as orphans; a partition it gives up is written out first, so its next owner does not take
 * what finished for lost; a partition it lost is forgotten without a write.
 */
final class Takeover implements ConsumerRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(Takeover.class);

  /** What the takeover needs of its session. */
  interface Session {

    /** Writes what the session decided so far, reports included; false if it can no longer write. */
    boolean flush();

    /** Forgets what the session decided for a partition it lost, unwritten. */
    void discard(int partition);

    /** The partitions are no longer this session's: what it knew of their offsets may be stale from now on. */
    void released(Collection<TopicPartition> partitions);
  }

  /** A task found running on a partition this worker took over, by a worker that no longer has it. */
  record Orphan(int partition, String taskId) {
  }

  private final String workerId;
  private final TaskLedger ledger;
  private final LogRestore restore;
  private final WorkerClients clients;
  private final RunningTasks running;
  private final Queue<Report> reports;
  private final Map<Integer, Long> catchingUp;
  private final Collection<Orphan> orphans;
  private final Session session;
  private boolean adopting;

  /**
   * @param catchingUp partitions whose inbox is not read yet, with the offset it ended at when they became ours
   * @param adopting   whether runs of a failed session are still going, to be adopted or stopped
   */
  Takeover(String workerId, TaskLedger ledger, LogRestore restore, WorkerClients clients, RunningTasks running,
           Queue<Report> reports, Map<Integer, Long> catchingUp, Collection<Orphan> orphans, Session session,
           boolean adopting) {
    this.workerId = workerId;
    this.ledger = ledger;
    this.restore = restore;
    this.clients = clients;
    this.running = running;
    this.reports = reports;
    this.catchingUp = catchingUp;
    this.orphans = orphans;
    this.session = session;
    this.adopting = adopting;
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    clients.endOffsets(partitions).forEach((tp, end) -> catchingUp.put(tp.partition(), end));
    for (TopicPartition tp : partitions) {
      int partition = tp.partition();
      ledger.load(partition, restore.restore(partition));
      // A run still going here is this worker's only if the log says this very run is the task's current one.
      running.detachIf(execution -> execution.partition == partition && !stillOurs(execution));
      for (TaskState task : ledger.running(partition)) {
        orphans.add(new Orphan(partition, task.taskId()));
      }
    }
    if (adopting) {
      // What this session did not get, another worker owns now, and decides.
      running.detachIf(execution -> !ledger.owns(execution.partition));
      detachReportsOf(partition -> !ledger.owns(partition));
      adopting = false;
    }
    if (!partitions.isEmpty()) {
      log.info("worker {} owns {} (running {}, queued {})", workerId, ledger.partitions(), running.active(),
          ledger.queued());
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      // Still the owner: write what finished so far, so the next owner does not take it for lost.
      session.flush();
      forget(partitions);
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    // No longer the owner: writing now could only be fenced, and must not be tried.
    partitions.forEach(tp -> session.discard(tp.partition()));
    forget(partitions);
  }

  /**
   * The session failed: the partitions it gives up while it closes keep their runs, for the next session to adopt
   * those the log still says are this worker's.
   */
  void keepRunsForTheNextSession() {
    adopting = true;
  }

  private boolean stillOurs(Execution execution) {
    TaskState task = ledger.get(execution.partition, execution.taskId());
    return task != null && task.status() == TaskStatus.RUNNING && task.attempt() == execution.attempt()
        && workerId.equals(task.worker());
  }

  private void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      if (!adopting) {
        // A failed session's runs are kept for the next one to adopt; otherwise the partition's runs end here.
        running.detach(tp.partition());
        detachReportsOf(partition -> partition == tp.partition());
      }
      ledger.drop(tp.partition());
      catchingUp.remove(tp.partition());
      orphans.removeIf(orphan -> orphan.partition() == tp.partition());
    }
    session.released(partitions);
    log.info("worker {} gave up {}", workerId, partitions);
  }

  /** Runs that finished while no session held their partition have only their report left to detach. */
  private void detachReportsOf(IntPredicate partitions) {
    reports.forEach(report -> {
      if (partitions.test(report.source().partition)) {
        report.source().detached = true;
      }
    });
  }
}
