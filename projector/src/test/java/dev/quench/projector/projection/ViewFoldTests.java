package dev.quench.projector.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.Envelope;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskView;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewFoldTests {

  private final TaskHistory task = TaskHistory.task("t-1");
  private final Envelope submitted = task.submitted();
  private final TaskView queued = new TaskView(TaskState.fold(List.of(submitted)), 2, 10);

  @Test
  void aSubmissionCreatesAViewAtItsPosition() {
    TaskView view = ViewFold.next(null, submitted, 2, 10);

    assertThat(view).isEqualTo(queued);
    assertThat(view.task().status()).isEqualTo(TaskStatus.QUEUED);
  }

  @Test
  void anEventThatChangesTheTaskMovesTheViewToItsOffset() {
    Envelope started = TaskDecider.decide(task.start(), queued.task()).get(0);

    TaskView view = ViewFold.next(queued, started, 2, 14);

    assertThat(view.task()).isEqualTo(TaskState.evolve(queued.task(), started));
    assertThat(view.logOffset()).isEqualTo(14);
    assertThat(view.logPartition()).isEqualTo(2);
  }

  @Test
  void anEventTheViewAlreadyReflectsWritesNothing() {
    Envelope started = TaskDecider.decide(task.start(), queued.task()).get(0);

    assertThat(ViewFold.next(queued, started, 2, 10)).isNull();
    assertThat(ViewFold.next(queued, started, 2, 9)).isNull();
  }

  @Test
  void anEventOfAnUnknownTaskWritesNothing() {
    Envelope cancel = task.cancelRequested("who?");

    assertThat(ViewFold.next(null, cancel, 2, 3)).isNull();
  }

  @Test
  void anEventThatChangesNothingWritesNothing() {
    assertThat(ViewFold.next(queued, task.submitted(), 2, 11)).isNull();
  }
}
