package dev.quench.api.streams;

import dev.quench.api.log.TaskFollower;
import dev.quench.api.log.TaskViewReplica;
import dev.quench.events.HistoryEntry;
import dev.quench.events.TaskState;
import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open Server-Sent Events stream. The replica's thread only queues what is new (it must never wait for a
 * client); a thread of the streams' pool renders and sends it, in order, one drain at a time per stream. A client
 * too slow to keep {@code maxBacklog} events from piling up is let go: the stream ends, and a task's stream resumes
 * with {@code Last-Event-ID}.
 */
abstract class EventStream implements TaskFollower {

  /** One thing to send: an event, or a comment that keeps an idle stream alive. */
  private record Frame(TaskState task, HistoryEntry entry, String comment, boolean last) {
  }

  private final SseEmitter emitter;
  private final EventRendering rendering;
  private final Executor senders;
  private final int maxBacklog;
  private final Consumer<EventStream> onClose;
  private final Queue<Frame> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger backlog = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile TaskViewReplica.Following following = () -> { };
  private volatile long lastSentNanos = System.nanoTime();
  private volatile boolean ending;

  EventStream(SseEmitter emitter, EventRendering rendering, Executor senders, int maxBacklog,
              Consumer<EventStream> onClose) {
    this.emitter = emitter;
    this.rendering = rendering;
    this.senders = senders;
    this.maxBacklog = maxBacklog;
    this.onClose = onClose;
    emitter.onCompletion(this::close);
    emitter.onError(failure -> close());
    // The stream's time is up: end it cleanly, so the client reconnects rather than reading an error.
    emitter.onTimeout(emitter::complete);
  }

  void following(TaskViewReplica.Following following) {
    this.following = following;
    if (closed.get()) {
      following.close();
    }
  }

  SseEmitter emitter() {
    return emitter;
  }

  /** Queues an event; {@code last} ends the stream once it is sent. */
  final void queue(TaskState task, HistoryEntry entry, boolean last) {
    if (last) {
      ending = true;
    }
    add(new Frame(task, entry, null, last));
  }

  /** Queues a comment line, as the stream's first line (so the client knows it is following) and when it idles. */
  final void comment(String text) {
    add(new Frame(null, null, text, false));
  }

  /**
   * Nothing sent for {@code nanos} and nothing waiting to be: a stream whose sender is behind (a slow client, a busy
   * machine) is not idle, or every heartbeat tick would queue one more comment behind the others.
   */
  boolean idleFor(long nanos) {
    return backlog.get() == 0 && System.nanoTime() - lastSentNanos >= nanos;
  }

  boolean ending() {
    return ending;
  }

  private void add(Frame frame) {
    if (closed.get()) {
      return;
    }
    if (backlog.incrementAndGet() > maxBacklog) {
      // A client this far behind is let go rather than held in memory; it reconnects and resumes.
      outbox.clear();
      emitter.complete();
      close();
      return;
    }
    outbox.add(frame);
    if (draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
  }

  private void drain() {
    try {
      Frame frame;
      while (!closed.get() && (frame = outbox.poll()) != null) {
        backlog.decrementAndGet();
        send(frame);
        if (frame.last()) {
          emitter.complete();
          close();
          return;
        }
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away (or the container ended the response): nothing left to send to.
      close();
      return;
    } finally {
      draining.set(false);
    }
    // Something queued after the last poll, before the flag was cleared, would otherwise wait for the next event.
    if (!outbox.isEmpty() && !closed.get() && draining.compareAndSet(false, true)) {
      senders.execute(this::drain);
    }
  }

  private void send(Frame frame) throws IOException {
    if (frame.comment() != null) {
      emitter.send(SseEmitter.event().comment(frame.comment()));
    } else {
      HistoryEntry entry = frame.entry();
      SseEmitter.SseEventBuilder event = SseEmitter.event().name(entry.type())
          .data(rendering.data(frame.task(), entry));
      if (entry.eventId() != null) {
        event.id(entry.eventId().toString());
      }
      emitter.send(event);
    }
    lastSentNanos = System.nanoTime();
  }

  final void close() {
    if (closed.compareAndSet(false, true)) {
      following.close();
      outbox.clear();
      onClose.accept(this);
    }
  }

  boolean closed() {
    return closed.get();
  }
}
