package dev.quench.worker.ownership;

import dev.quench.events.Progress;
import dev.quench.events.Usage;
import dev.quench.events.TaskCommand.Outcome;

/** What a handler thread hands to the owner thread, which alone turns it into events. */
sealed interface Report {

  Execution source();

  /** The handler reported progress, usage, or both (null when not reported since the last report). */
  record Progressed(Execution source, Progress progress, Usage usage) implements Report {
  }

  /** The handler stopped, or was abandoned. */
  record Finished(Execution source, Outcome outcome) implements Report {
  }
}
