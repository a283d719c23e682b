package dev.quench.api.streams;

import dev.quench.api.log.TaskViewReplica;
import dev.quench.api.tasks.TaskListQuery;
import dev.quench.api.web.ApiException;
import dev.quench.events.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Every Server-Sent Events stream this api instance has open: opens them (at most {@code max-open}), keeps the idle
 * ones alive with a comment every {@code heartbeat}, and owns the threads that send.
 *
 * <p>Two threads send for every stream: a send is a write to a socket buffer, and a stream has at most one drain
 * running, so a slow client holds one of them only as long as its socket's write timeout.
 */
public final class EventStreams implements AutoCloseable {

  private final TaskViewReplica replica;
  private final StreamProperties settings;
  private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger opening = new AtomicInteger();
  private final ExecutorService senders;
  private final ScheduledExecutorService heartbeats;
  private final Counter refused;

  public EventStreams(TaskViewReplica replica, StreamProperties settings, MeterRegistry registry) {
    this.replica = replica;
    this.settings = settings;
    AtomicInteger threads = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(2, r -> daemon(r, "quench-streams-" + threads.incrementAndGet()));
    this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "quench-streams-heartbeat"));
    long period = settings.heartbeat().toMillis();
    heartbeats.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
    Gauge.builder("quench.api.streams.open", open, Set::size).description("Server-Sent Events streams open")
        .strongReference(true).register(registry);
    this.refused = Counter.builder("quench.api.streams.refused")
        .description("streams refused because max-open were open").register(registry);
  }

  /**
   * A stream of one task's events from the one after {@code lastEventId} (all it holds without one), ending after
   * its terminal event. The caller has checked the task is theirs.
   */
  public SseEmitter task(String taskId, String lastEventId, EventRendering rendering) {
    long resumeAfter = TaskStream.resumeAfter(replica.logged(taskId), lastEventId);
    reserve();
    TaskStream stream = new TaskStream(emitter(), rendering, senders, settings.maxBacklog(), this::closed,
        resumeAfter);
    start(stream);
    // Followed first, replayed second: a view that arrives in between is offered twice, and sent once.
    stream.following(replica.followTask(taskId, stream));
    TaskState now = replica.logged(taskId);
    if (now != null) {
      stream.changed(now, -1);
    }
    return stream.emitter();
  }

  /** A stream of every event of the tenant's tasks that match {@code filter}, of the given types (all if none). */
  public SseEmitter tenant(TaskListQuery filter, Set<String> types, EventRendering rendering) {
    reserve();
    TenantStream stream = new TenantStream(emitter(), rendering, senders, settings.maxBacklog(), this::closed,
        filter, types);
    start(stream);
    stream.following(replica.followTenant(filter.tenant(), stream));
    return stream.emitter();
  }

  /**
   * What a HEAD of a stream gets: the stream's headers, and its end at once. A HEAD has no body to follow, and a
   * stream held open for one kept its connection (and a stream's place) for up to an hour, sending nothing.
   */
  public SseEmitter head() {
    SseEmitter emitter = new SseEmitter();
    emitter.complete();
    return emitter;
  }

  int openStreams() {
    return open.size();
  }

  private void reserve() {
    if (opening.incrementAndGet() > settings.maxOpen()) {
      opening.decrementAndGet();
      refused.increment();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "too_many_streams", "this api instance has "
          + settings.maxOpen() + " streams open, its limit; retry in a moment, or through another instance", null,
          true);
    }
  }

  private SseEmitter emitter() {
    return new SseEmitter(settings.maxDuration().toMillis());
  }

  private void start(EventStream stream) {
    open.add(stream);
    // The first line says the stream is live, and at once: the response is committed before any event exists.
    stream.comment("following");
  }

  private void closed(EventStream stream) {
    if (open.remove(stream)) {
      opening.decrementAndGet();
    }
  }

  private void heartbeat() {
    long idle = settings.heartbeat().toNanos();
    for (EventStream stream : open) {
      if (stream.idleFor(idle)) {
        stream.comment("heartbeat");
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
    open.forEach(stream -> {
      stream.emitter().complete();
      stream.close();
    });
    senders.shutdown();
  }
}
