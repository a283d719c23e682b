package dev.quench.benchmark.cancel;

import dev.quench.benchmark.report.Latency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one fixed-rate step of cancels found. Every latency is from the cancel's due send time.
 *
 * @param rate         cancels per second, as scheduled
 * @param sent         cancels sent
 * @param acknowledged answered 2xx
 * @param refused      answered otherwise, by status (0: no answer at all)
 * @param inView       shown {@code cancelled} by the view topic within the drain timeout
 * @param sendRate     cancels per second actually sent, first to last
 * @param toView       due send -> the view shows {@code cancelled}: the figure the step passes or fails on
 * @param toAnswer     due send -> the HTTP answer
 * @param toRequests   due send -> the {@code CancelRequested} readable on the requests topic
 * @param toLog        due send -> the worker's {@code TaskCancelled} committed to the log
 * @param sendLag      actual minus due send time: the client's own delay
 * @param passed       every cancel acknowledged and shown cancelled, p99 to the view under the target
 * @param threads      where the pipeline's threads were while the cancels were sent, in percent of samples
 */
record StepResult(int rate, int sent, int acknowledged, Map<Integer, Integer> refused, int inView, double sendRate,
                  Latency toView, Latency toAnswer, Latency toRequests, Latency toLog, Latency sendLag,
                  boolean passed, Map<String, Map<String, Double>> threads) {

  StepResult withThreads(Map<String, Map<String, Double>> sampled) {
    return new StepResult(rate, sent, acknowledged, refused, inView, sendRate, toView, toAnswer, toRequests, toLog,
        sendLag, passed, sampled);
  }

  static StepResult of(int rate, List<CancelProbe> probes, double targetP99Ms) {
    Histogram view = Latency.histogram();
    Histogram answer = Latency.histogram();
    Histogram requests = Latency.histogram();
    Histogram logged = Latency.histogram();
    Histogram lag = Latency.histogram();
    Map<Integer, Integer> refused = new TreeMap<>();
    int acknowledged = 0;
    int inView = 0;
    long firstSent = Long.MAX_VALUE;
    long lastSent = Long.MIN_VALUE;
    for (CancelProbe p : probes) {
      if (p.sent != 0) {
        Latency.record(lag, p.sent - p.due);
        firstSent = Math.min(firstSent, p.sent);
        lastSent = Math.max(lastSent, p.sent);
      }
      if (p.acknowledged()) {
        acknowledged++;
        Latency.record(answer, p.answered - p.due);
      } else {
        refused.merge(p.status, 1, Integer::sum);
      }
      if (p.inRequests != 0) {
        Latency.record(requests, p.inRequests - p.due);
      }
      if (p.inLog != 0) {
        Latency.record(logged, p.inLog - p.due);
      }
      if (p.inView != 0) {
        inView++;
        Latency.record(view, p.inView - p.due);
      }
    }
    double sendRate = probes.size() < 2 || lastSent <= firstSent ? Double.NaN
        : (probes.size() - 1) / ((lastSent - firstSent) / 1e9);
    Latency toView = Latency.of(view);
    boolean passed = acknowledged == probes.size() && inView == probes.size() && toView.p99Ms() < targetP99Ms;
    return new StepResult(rate, probes.size(), acknowledged, refused, inView, sendRate, toView, Latency.of(answer),
        Latency.of(requests), Latency.of(logged), Latency.of(lag), passed, Map.of());
  }

  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("rate_per_s", rate);
    map.put("sent", sent);
    map.put("acknowledged", acknowledged);
    map.put("refused", refused);
    map.put("shown_cancelled", inView);
    map.put("achieved_send_rate_per_s", Double.isNaN(sendRate) ? null : Math.round(sendRate));
    map.put("passed", passed);
    map.put("due_to_view_cancelled", toView.toMap());
    map.put("due_to_http_answer", toAnswer.toMap());
    map.put("due_to_requests_topic", toRequests.toMap());
    map.put("due_to_log_committed", toLog.toMap());
    map.put("client_send_lag", sendLag.toMap());
    map.put("thread_time_percent", threads);
    return map;
  }
}
