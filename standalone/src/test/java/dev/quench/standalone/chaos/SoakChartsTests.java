package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.standalone.chaos.SoakRecord.Point;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A soak's charts are PNGs, one a measure that has points, named by the measure's column. */
class SoakChartsTests {

  private static final Instant AT = Instant.parse("2026-12-03T16:00:00Z");

  @TempDir
  Path dir;

  @Test
  void oneReadablePngIsWrittenForEachMeasureWithPoints() throws Exception {
    SoakRecord record = new SoakRecord();
    for (int m = 0; m <= 10; m++) {
      record.add(new Point(m, AT.plusSeconds(60L * m), "api-1", 1, Measure.HEAP_AFTER_GC, 40 + m % 2));
      // Away from minute 3 to 7: the chart breaks its line rather than draw across.
      if (m < 3 || m > 7) {
        record.add(new Point(m, AT.plusSeconds(60L * m), "worker-4", m < 3 ? 2 : 3, Measure.HEAP_AFTER_GC, 30));
      }
      record.add(new Point(m, AT.plusSeconds(60L * m), "load", -1, Measure.P99_CANCEL, 100 + 10 * m));
    }

    List<Path> written = SoakCharts.write(record, List.of(1.0, 2.0, 5.5), dir.resolve("soak"));

    assertThat(written).extracting(p -> p.getFileName().toString())
        .containsExactly("heap_after_gc_mib.png", "p99_cancel_ms.png");
    for (Path file : written) {
      BufferedImage image = ImageIO.read(file.toFile());
      assertThat(image).as("%s as an image", file).isNotNull();
      assertThat(image.getWidth()).isEqualTo(1000);
      assertThat(image.getHeight()).isEqualTo(520);
    }
  }

  @Test
  void anEmptyRecordHasNoCharts() {
    assertThat(SoakCharts.write(new SoakRecord(), List.of(), dir)).isEmpty();
  }
}
