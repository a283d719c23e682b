package dev.quench.standalone.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The figures of one chaos run and its verdict.
 *
 * @param seed             the seed of its random choices
 * @param chaos            how long the load and the kills lasted
 * @param total            the whole run, from the broker's start to the last check
 * @param quiet            how long the system took, after the load stopped, to end every task and catch up
 * @param creates          creates the api acknowledged
 * @param cancels          cancels the api acknowledged
 * @param notAcknowledged  requests that got no 2xx, by what they got instead
 * @param killsByRole      SIGKILLs per role (api, worker, projector)
 * @param killsByProcess   SIGKILLs per process
 * @param unexpectedExits  processes that ended without being killed
 * @param tasksByStatus    tasks per final status, by the fold of the log
 * @param outcomes         terminal events and cancel answers by kind ({@code cancelled (was queued)}, ...)
 * @param logEvents        events in the log at the end
 * @param batches          cancellation batches: acknowledged by kind, their states and their targets' outcomes
 * @param bigBatch         the one large batch: its targets, their outcomes by its report, the kills while it went on;
 *                         null if the run had none
 * @param violations       everything that broke: invariants, tasks not terminal, views and api answers unlike the
 *                         fold of the log, processes that exited by themselves
 * @param lost             acknowledged requests missing from the log
 * @param explanation      the log history of the tasks named above, next to the kills around them
 * @param dir              where the logs of the run are
 * @param logFiles         the services' logs, the broker's and the timeline
 */
record ChaosReport(long seed, Duration chaos, Duration total, Duration quiet, int creates, int cancels,
                   Map<String, Integer> notAcknowledged, Map<String, Integer> killsByRole,
                   Map<String, Integer> killsByProcess, List<String> unexpectedExits,
                   Map<String, Integer> tasksByStatus, Map<String, Integer> outcomes, int logEvents,
                   BatchCheck.Figures batches, BigBatch.Figures bigBatch, List<String> violations,
                   List<String> lost, String explanation, Path dir, List<Path> logFiles) {

  private static final int LISTED = 50;

  boolean passed() {
    return violations.isEmpty() && lost.isEmpty();
  }

  int acknowledged() {
    return creates + cancels + batches.acknowledgedTotal();
  }

  int kills() {
    return killsByRole.values().stream().mapToInt(Integer::intValue).sum();
  }

  private void printBigBatch(PrintStream out) {
    BigBatch.Figures big = bigBatch;
    out.printf("  big batch:                 %s, %d targets at %d/s; tasks written in %s ms%n",
        big.batchId() == null ? "not acknowledged" : big.batchId(), big.size(), big.rate(),
        big.written() == null ? "-" : Long.toString(big.written().toMillis()));
    out.printf("    accepted %.0f s into the run, last outcome at %.0f s: %.1f s from its first attempt; report %d"
        + " lines %s%n", big.acceptedRunSecond(), big.lastDecidedRunSecond(), big.span().toMillis() / 1e3,
        big.reported(), big.outcomes());
    out.printf("    kills meanwhile:         %d %s %s%n", big.kills().size(), big.killsByRole(), big.kills().stream()
        .map(k -> String.format("%s@%.0fs", k.process(), k.elapsed())).toList());
  }

  void print(PrintStream out) {
    out.println();
    out.println("quench chaos run, seed " + seed + ", in " + dir);
    out.printf("  duration:                  %d s of load and kills; quiet %d s after; %d s in all%n",
        chaos.toSeconds(), quiet.toSeconds(), total.toSeconds());
    out.printf("  requests acknowledged:     %d (creates %d, cancels %d, batches %d)%n", acknowledged(), creates,
        cancels, batches.acknowledgedTotal());
    out.printf("  requests not acknowledged: %d %s%n",
        notAcknowledged.values().stream().mapToInt(Integer::intValue).sum(), notAcknowledged);
    out.printf("  kills:                     %d %s %s%n", kills(), killsByRole, killsByProcess);
    out.printf("  unexpected exits:          %d%n", unexpectedExits.size());
    out.printf("  tasks by final status:     %s (%d events in the log)%n", tasksByStatus, logEvents);
    out.printf("  outcomes in the log:       %s%n", outcomes);
    out.printf("  batches acknowledged:      %d %s, %d after a dry run; aborts answered %s%n",
        batches.acknowledgedTotal(), batches.acknowledged(), batches.dryRuns(), batches.aborts());
    out.printf("  batches in the log:        %s, %d targets %s%n", batches.byState(), batches.targets(),
        batches.outcomes());
    if (bigBatch != null) {
      printBigBatch(out);
    }
    out.printf("  violations:                %d%n", violations.size());
    violations.stream().limit(LISTED).forEach(v -> out.println("    " + v));
    if (violations.size() > LISTED) {
      out.println("    ... and " + (violations.size() - LISTED) + " more");
    }
    out.printf("  lost:                      %d%n", lost.size());
    lost.stream().limit(LISTED).forEach(l -> out.println("    " + l));
    if (lost.size() > LISTED) {
      out.println("    ... and " + (lost.size() - LISTED) + " more");
    }
    if (!passed()) {
      if (!explanation.isEmpty()) {
        out.println("  what the log holds for the tasks above:");
        explanation.lines().forEach(line -> out.println("    " + line));
      }
      out.println("  logs:");
      logFiles.forEach(file -> out.println("    " + file));
    }
    out.println(passed() ? "PASSED" : "FAILED");
  }
}
