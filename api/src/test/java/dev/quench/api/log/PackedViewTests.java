package dev.quench.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** A packed view reads back as the view it was, whatever it holds, and takes a fraction of its JSON. */
class PackedViewTests {

  private static final EventCodec CODEC = new EventCodec();

  private static TaskView completed(String taskId, String output) {
    TaskHistory task = TaskHistory.task(taskId);
    List<Envelope> history = TaskHistory.decideAfter(List.of(task.submitted()), task.start("0.05"));
    history = TaskHistory.decideAfter(history, task.progress(1, 40));
    history = TaskHistory.decideAfter(history, task.finish(1, new Outcome.Completed(
        JsonNodeFactory.instance.objectNode().put("text", output), TaskHistory.usageOf("1.000", "0.01"))));
    return new TaskView(TaskState.fold(history), 3, 41);
  }

  private static TaskView roundTrip(TaskView view) {
    return PackedView.pack(view.logOffset(), CODEC.encodeView(view)).unpack(CODEC);
  }

  @Test
  void aViewWithInputAndOutputReadsBackAsItWas() {
    TaskView view = completed("t-1", "done");
    assertThat(view.task().input()).isNotNull();
    assertThat(view.task().output()).isNotNull();
    assertThat(roundTrip(view)).isEqualTo(view);
  }

  @Test
  void aViewWithoutInputOrOutputReadsBackAsItWas() {
    TaskHistory task = TaskHistory.task("t-2");
    TaskView view = new TaskView(TaskState.fold(List.of(task.submitted("sleep", null),
        task.cancelRequested("not needed"))), 0, 7);
    assertThat(view.task().input()).isNull();
    assertThat(view.task().output()).isNull();
    assertThat(roundTrip(view)).isEqualTo(view);
  }

  @Test
  void viewsOfEverySizeReadBackWholeEvenPastAThreadsBuffer() {
    // Sizes around the buffer a thread keeps, and far beyond it, where the end of the stream is easiest to get wrong.
    for (int length = 0; length < 40_000; length += length < 20_000 ? 997 : 7_919) {
      String output = "x".repeat(length / 2) + new Random(length).ints(length / 2, 'a', 'z' + 1)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
      TaskView view = completed("t-" + length, output);
      assertThat(roundTrip(view)).as("a view with %d characters of output", length).isEqualTo(view);
    }
  }

  @Test
  void aViewPacksToLessThanHalfItsJson() {
    byte[] json = CODEC.encodeView(completed("2c1f4b7e-8a3d-4e5f-9b6a-1d2c3e4f5a6b", "done"));
    assertThat(PackedView.pack(41, json).packedLength()).isLessThan(json.length / 2);
  }

  @Test
  void theDictionaryIsTheSameEveryTime() {
    assertThat(ViewDictionary.build()).isEqualTo(ViewDictionary.build());
  }

  /** A member the dictionary lacks costs every view its name in full: extend the dictionary's tasks when this fails. */
  @Test
  void theDictionaryNamesEveryMemberOfAView() {
    String dictionary = new String(ViewDictionary.build(), StandardCharsets.UTF_8);
    Set<String> missing = new HashSet<>();
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> records = new ArrayDeque<>(List.of(TaskView.class));
    while (!records.isEmpty()) {
      Class<?> type = records.pop();
      if (!seen.add(type)) {
        continue;
      }
      for (RecordComponent component : type.getRecordComponents()) {
        // As the codec names members: snake case.
        String name = component.getName().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
        if (!dictionary.contains("\"" + name + "\":")) {
          missing.add(type.getSimpleName() + "." + name);
        }
        Type generic = component.getGenericType();
        Type element = generic instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : generic;
        if (element instanceof Class<?> c && c.isRecord()) {
          records.push(c);
        }
      }
    }
    assertThat(missing).isEmpty();
    assertThat(seen).hasSizeGreaterThan(8);
  }
}
