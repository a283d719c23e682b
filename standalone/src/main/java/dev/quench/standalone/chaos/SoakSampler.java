package dev.quench.standalone.chaos;

import dev.quench.standalone.chaos.LoadDriver.Kind;
import dev.quench.standalone.chaos.SoakRecord.Point;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One sample of a soak, taken every minute on a thread of its own while the faults go on: for every service process
 * alive and seen ready in this life, its {@link ProcessUsage} and, for the workers and projectors, the lag of the
 * partitions it owns ({@link MemberLag}); for the load, the p99 of the cancels acknowledged since the last sample.
 * What cannot be had at that moment (the heap of a frozen worker, the lag while the cluster does not answer) is left
 * out of that sample and said on the timeline, not made up.
 */
final class SoakSampler {

  private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

  private final Fleet fleet;
  private final Latencies latencies;
  private final MemberLag lag;
  private final String topicPrefix;
  private final Timeline timeline;
  private final long chaosStarted;
  private final Path jcmd = ProcessUsage.jcmd();
  private final SoakRecord record = new SoakRecord();
  private long last;

  SoakSampler(Fleet fleet, Latencies latencies, MemberLag lag, String topicPrefix, Timeline timeline,
              long chaosStarted) {
    this.fleet = fleet;
    this.latencies = latencies;
    this.lag = lag;
    this.topicPrefix = topicPrefix;
    this.timeline = timeline;
    this.chaosStarted = chaosStarted;
    this.last = chaosStarted;
    if (jcmd == null) {
      timeline.note("soak: no jcmd in " + System.getProperty("java.home") + "; the heap after GC is not recorded");
    }
  }

  SoakRecord record() {
    return record;
  }

  synchronized void sample() throws InterruptedException {
    long now = System.nanoTime();
    double minute = (now - chaosStarted) / 60e9;
    Instant at = Instant.now();
    StringBuilder missing = new StringBuilder();
    for (ServiceProcess process : fleet.processes()) {
      long pid = process.pid();
      // A life still starting (a worker joining in a scale-out) would make its start-up the baseline of its series.
      if (!process.readySeen()) {
        continue;
      }
      ProcessUsage usage = ProcessUsage.of(pid, jcmd, ATTACH_TIMEOUT);
      if (usage == null) {
        continue;
      }
      if (usage.heapAfterGcKb() != null) {
        record.add(new Point(minute, at, process.id(), pid, Measure.HEAP_AFTER_GC, usage.heapAfterGcKb() / 1024.0));
      } else if (jcmd != null) {
        missing.append(" heap of ").append(process.id());
      }
      record.add(new Point(minute, at, process.id(), pid, Measure.RSS, usage.rssKb() / 1024.0));
      record.add(new Point(minute, at, process.id(), pid, Measure.THREADS, usage.threads()));
      record.add(new Point(minute, at, process.id(), pid, Measure.OPEN_FILES, usage.openFiles()));
    }
    for (String group : MemberLag.groups(topicPrefix)) {
      try {
        for (Map.Entry<String, Long> member : lag.byMember(group).entrySet()) {
          ServiceProcess process = owner(member.getKey());
          if (process != null) {
            record.add(new Point(minute, at, process.id(), process.pid(), Measure.CONSUMER_LAG, member.getValue()));
          }
        }
      } catch (RuntimeException e) {
        missing.append(" lag of ").append(group).append(" (").append(e.getMessage()).append(')');
      }
    }
    List<Double> cancels = latencies.millis(Kind.CANCEL, last, now);
    Double p99 = Latencies.quantile(cancels, 0.99);
    if (p99 != null) {
      record.add(new Point(minute, at, "load", -1, Measure.P99_CANCEL, p99));
    }
    last = now;
    timeline.note(String.format("soak sample at minute %.1f: %d cancels acknowledged since the last, p99 %s ms%s",
        minute, cancels.size(), p99 == null ? "-" : String.format("%.0f", p99),
        missing.isEmpty() ? "" : "; not had:" + missing));
  }

  /** The process a consumer's client id ({@code quench-worker-worker-2}) belongs to, or null. */
  private ServiceProcess owner(String clientId) {
    for (ServiceProcess process : fleet.processes()) {
      if (clientId.endsWith("-" + process.id())) {
        return process;
      }
    }
    return null;
  }
}
