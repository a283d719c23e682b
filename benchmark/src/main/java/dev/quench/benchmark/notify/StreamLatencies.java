package dev.quench.benchmark.notify;

import dev.quench.benchmark.report.Latency;
import dev.quench.benchmark.report.ResultTable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The streams step's latencies, terminal event on the log → its SSE event at the client, and the same span in three
 * parts by the watch's read of the first view showing the task ended: the projector's (the event committed and read,
 * folded, the view sent), the view's way to an outside consumer, and the api's (its replica's read of the view, the
 * stream's render and send, the client's read).
 */
final class StreamLatencies {

  private final Histogram total = Latency.histogram();
  private final Histogram projected = Latency.histogram();
  private final Histogram viewRead = Latency.histogram();
  private final Histogram streamed = Latency.histogram();
  private int notShown;

  /** Folds what the watch and each stream saw of the measured tasks, the n-th stream following the n-th task. */
  StreamLatencies(TerminalWatch watch, List<String> taskIds, List<EventStreamClient.Stream> streams) {
    for (int i = 0; i < taskIds.size(); i++) {
      TerminalWatch.Seen seen = watch.of(taskIds.get(i));
      long committed = seen.terminalTimestampMillis;
      long shown = streams.get(i).terminalAtMillis;
      if (committed == 0 || shown == 0) {
        notShown++;
        continue;
      }
      Latency.record(total, TimeUnit.MILLISECONDS.toNanos(shown - committed));
      if (seen.terminalViewReadMillis != 0) {
        record(projected, seen.terminalViewTimestampMillis - committed);
        record(viewRead, seen.terminalViewReadMillis - seen.terminalViewTimestampMillis);
        record(streamed, shown - seen.terminalViewReadMillis);
      }
    }
  }

  /** The whole span, event to client. */
  Latency total() {
    return Latency.of(total);
  }

  /** Tasks whose terminal event or SSE event was never seen. */
  int notShown() {
    return notShown;
  }

  /** The three parts' rows, under the total's. */
  void addPartsTo(ResultTable table, String section) {
    table.add(section, "  of which: terminal event's timestamp -> its view's timestamp on tasks.view",
        Latency.of(projected).summary(), "the projector: the event committed, read, folded, the view sent");
    table.add(section, "  of which: view's timestamp -> read by an outside consumer", Latency.of(viewRead).summary(),
        "the view acknowledged and fetched");
    table.add(section, "  of which: view read by that consumer -> SSE event at the client",
        Latency.of(streamed).summary(), "the api: its replica's fetch and apply, the stream's render and send, the "
            + "client's read; the parts' percentiles do not add up");
  }

  private static void record(Histogram histogram, long millis) {
    // Two timestamps from different clocks' readings (a producer's, this JVM's): a part can come out below zero.
    Latency.record(histogram, TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)));
  }
}
