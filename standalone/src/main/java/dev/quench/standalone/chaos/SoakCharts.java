package dev.quench.standalone.chaos;

import dev.quench.standalone.chaos.SoakRecord.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * A soak's record as pictures: one PNG a measure, {@code <column>.png}, minutes since the load began across, one
 * line a series (a process, or the load), and a faint vertical line where each fault began. A series is broken
 * where it has no points for longer than {@link #GAP_MINUTES} (a worker that left and joined again), rather than
 * drawn across the time it was away.
 */
final class SoakCharts {

  static final double GAP_MINUTES = 1.5;
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 520;

  private SoakCharts() {
  }

  /**
   * Writes one chart a measure that has points into {@code dir}; returns the files written.
   *
   * @param faults the minutes at which a fault began, for the vertical lines
   */
  static List<Path> write(SoakRecord record, List<Double> faults, Path dir) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (Measure measure : Measure.values()) {
        Map<String, List<Point>> series = record.series(measure);
        if (series.isEmpty()) {
          continue;
        }
        Path file = dir.resolve(measure.column() + ".png");
        try (OutputStream out = Files.newOutputStream(file)) {
          BitmapEncoder.saveBitmap(chart(measure, series, faults), out, BitmapFormat.PNG);
        }
        written.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the soak's charts to " + dir, e);
    }
    return written;
  }

  private static XYChart chart(Measure measure, Map<String, List<Point>> series, List<Double> faults) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(measure.title())
        .xAxisTitle("minutes since the load began").yAxisTitle(measure.unit()).build();
    chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setAnnotationLineColor(new Color(200, 200, 200));
    chart.getStyler().setAnnotationLineStroke(new BasicStroke(1f));
    faults.forEach(minute -> chart.addAnnotation(new AnnotationLine(minute, true, false)));
    series.forEach((name, points) -> {
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (int i = 0; i < points.size(); i++) {
        Point point = points.get(i);
        if (i > 0 && point.minute() - points.get(i - 1).minute() > GAP_MINUTES) {
          // XChart leaves a line out where a value is NaN.
          x.add((point.minute() + points.get(i - 1).minute()) / 2);
          y.add(Double.NaN);
        }
        x.add(point.minute());
        y.add(point.value());
      }
      chart.addSeries(name, x, y);
    });
    return chart;
  }
}
