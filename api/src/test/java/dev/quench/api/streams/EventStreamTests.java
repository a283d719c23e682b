package dev.quench.api.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.TaskState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

class EventStreamTests {

  /** Holds the sender's work instead of running it: a sender that is behind. */
  private final List<Runnable> held = new ArrayList<>();

  private final EventStream stream = new EventStream(new SseEmitter(), (task, entry) -> "{}", held::add, 1000,
      closed -> { }) {
    @Override
    public void changed(TaskState task, long before) {
    }
  };

  /**
   * Found reading streams' first bytes for the hostile-input runs, on a loaded machine: with the sender behind, every
   * heartbeat tick found the stream idle (nothing sent lately) and queued one more comment behind the others, which
   * then came as a burst of dozens.
   */
  @Test
  void aStreamWithAFrameWaitingToBeSentIsNotIdle() {
    assertThat(stream.idleFor(0)).isTrue();

    stream.comment("heartbeat");

    assertThat(held).hasSize(1);
    assertThat(stream.idleFor(0)).as("a comment is waiting for the sender").isFalse();
  }
}
