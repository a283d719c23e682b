package dev.quench.benchmark.baseline;

import dev.quench.benchmark.synthetic.SyntheticTasks;
import dev.quench.events.TaskView;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * How big one hop's record is: a value of {@code valueBytes} and the headers the real record carries (the CloudEvents
 * headers on the requests topic and the log, none on the view topic).
 */
record RecordShape(int valueBytes, Map<String, byte[]> headers) {

  /** Enough for the run and the sequence number the relay measures by. */
  static final int MIN_VALUE_BYTES = 12;

  int headerBytes() {
    return headers.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length).sum();
  }

  /**
   * The three records of one cancel, hop by hop, from a synthetic cancel of the kind the cancel section makes; with
   * the total sizes (value and headers) measured on the real pipeline where known (0 where not).
   */
  static RecordShape[] ofCancel(int requestTotal, int outcomeTotal, int viewTotal) {
    EventCodec codec = new EventCodec();
    SyntheticTasks.Cancel cancel = new SyntheticTasks(Instant.now()).cancelOfQueued(UUID.randomUUID().toString());
    Map<String, byte[]> requestHeaders = CloudEventHeaders.of(cancel.request());
    Map<String, byte[]> outcomeHeaders = CloudEventHeaders.of(cancel.outcome());
    RecordShape request = sized(codec.encode(cancel.request()).length, requestHeaders, requestTotal);
    RecordShape outcome = sized(codec.encode(cancel.outcome()).length, outcomeHeaders, outcomeTotal);
    RecordShape view = sized(codec.encodeView(new TaskView(cancel.cancelled(), 0, 1)).length, Map.of(), viewTotal);
    return new RecordShape[] {request, outcome, view};
  }

  private static RecordShape sized(int syntheticValueBytes, Map<String, byte[]> headers, int measuredTotal) {
    RecordShape shape = new RecordShape(syntheticValueBytes, headers);
    if (measuredTotal > 0) {
      shape = new RecordShape(Math.max(MIN_VALUE_BYTES, measuredTotal - shape.headerBytes()), headers);
    }
    return shape;
  }

  @Override
  public String toString() {
    return (valueBytes + headerBytes()) + " B";
  }
}
