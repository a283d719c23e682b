package dev.quench.projector.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.Envelope;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoredViewsTests {

  private final TaskHistory task = TaskHistory.task("t-1");
  private final Envelope submitted = task.submitted();
  private final TaskState queuedState = TaskState.fold(List.of(submitted));
  private final TaskView queued = new TaskView(queuedState, 0, 5);
  private final TaskView running = new TaskView(
      TaskState.evolve(queuedState, TaskDecider.decide(task.start(), queuedState).get(0)), 0, 9);
  private final RestoredViews restored = new RestoredViews();

  @Test
  void theViewAtTheHighestOffsetWinsEvenWhenAnOlderOneWasWrittenAfterIt() {
    restored.add("t-1", queued);
    restored.add("t-1", running);
    restored.add("t-1", queued);

    assertThat(restored.views()).containsOnly(Map.entry("t-1", running));
    assertThat(restored.overtakenByStale()).containsExactly(running);
  }

  @Test
  void viewsWrittenInOrderNeedNoRewrite() {
    restored.add("t-1", queued);
    restored.add("t-1", running);
    restored.add("t-1", running);

    assertThat(restored.views()).containsEntry("t-1", running);
    assertThat(restored.overtakenByStale()).isEmpty();
  }

  @Test
  void aTombstoneForgetsTheTask() {
    restored.add("t-1", running);
    restored.add("t-1", null);

    assertThat(restored.views()).isEmpty();
    assertThat(restored.overtakenByStale()).isEmpty();
  }
}
