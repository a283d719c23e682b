package dev.quench.worker.ownership;

import dev.quench.events.Progress;
import dev.quench.events.TaskCommand.Outcome;

/** What a handler thread hands to the owner thread, which alone turns it into events. */
sealed interface Report {

  Execution source();

  /** The handler reported progress. */
  record Progressed(Execution source, Progress progress) implements Report {
  }

  /** The handler stopped, or was abandoned. */
  record Finished(Execution source, Outcome outcome) implements Report {
  }
}
