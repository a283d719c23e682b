package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quench.standalone.chaos.SoakRecord.Point;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A soak's record is written as CSV a point a line, read back as it was, and split into series by process. */
class SoakRecordTests {

  private static final Instant AT = Instant.parse("2026-12-03T16:00:00Z");

  @TempDir
  Path dir;

  @Test
  void theCsvHasAHeaderAndOneLineAPoint() throws Exception {
    SoakRecord record = new SoakRecord();
    record.add(new Point(0.5, AT, "api-1", 4242, Measure.HEAP_AFTER_GC, 41.25));
    record.add(new Point(1.0, AT.plusSeconds(30), "load", -1, Measure.P99_CANCEL, 120));

    Path file = dir.resolve("soak/soak.csv");
    record.writeCsv(file);

    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly(
        "minute,at,series,pid,measure,value",
        "0.500,2026-12-03T16:00:00Z,api-1,4242,heap_after_gc_mib,41.250",
        "1.000,2026-12-03T16:00:30Z,load,-1,p99_cancel_ms,120");
  }

  @Test
  void aWrittenRecordReadsBackAsItWas() {
    SoakRecord record = new SoakRecord();
    record.add(new Point(2.0, AT, "worker-3", 17, Measure.CONSUMER_LAG, 12));
    record.add(new Point(3.0, AT.plusSeconds(60), "worker-3", 17, Measure.THREADS, 61));
    Path file = dir.resolve("soak.csv");
    record.writeCsv(file);

    assertThat(SoakRecord.readCsv(file).points()).isEqualTo(record.points());
  }

  @Test
  void aFileWithoutTheHeaderIsRefusedByName() throws Exception {
    Path file = dir.resolve("other.csv");
    Files.writeString(file, "a,b,c\n");

    assertThatThrownBy(() -> SoakRecord.readCsv(file)).hasMessageContaining("does not start with minute,at");
  }

  @Test
  void seriesAreByProcessAndInTimeOrder() {
    SoakRecord record = new SoakRecord();
    record.add(new Point(2.0, AT, "worker-1", 1, Measure.RSS, 300));
    record.add(new Point(1.0, AT, "worker-1", 1, Measure.RSS, 290));
    record.add(new Point(1.0, AT, "api-1", 2, Measure.RSS, 310));
    record.add(new Point(1.0, AT, "api-1", 2, Measure.THREADS, 80));

    assertThat(record.series(Measure.RSS)).containsOnlyKeys("api-1", "worker-1");
    assertThat(record.series(Measure.RSS).get("worker-1")).extracting(Point::value).containsExactly(290.0, 300.0);
    assertThat(record.series(Measure.OPEN_FILES)).isEmpty();
    assertThat(record.series(Measure.THREADS).get("api-1")).hasSize(1);
    assertThat(List.of(Measure.values())).extracting(Measure::column).doesNotHaveDuplicates();
  }
}
