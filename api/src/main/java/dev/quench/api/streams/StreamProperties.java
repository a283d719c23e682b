package dev.quench.api.streams;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code quench.api.streams.*}: Server-Sent Events streams.
 *
 * @param heartbeat   how often an idle stream gets a comment line, so proxies and clients know it is alive
 * @param maxDuration how long one stream stays open before the api ends it; a client reconnects (with
 *                    {@code Last-Event-ID} for a task's stream) and goes on where it was
 * @param maxOpen     the most streams one api instance keeps open; beyond, a new one is refused with 503
 * @param maxBacklog  the most events a stream may have waiting for a slow client; beyond, the stream is ended (a
 *                    task's stream resumes with {@code Last-Event-ID}) rather than holding memory without bound
 */
@ConfigurationProperties("quench.api.streams")
public record StreamProperties(
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("1h") Duration maxDuration,
    @DefaultValue("10000") int maxOpen,
    @DefaultValue("1000") int maxBacklog) {

  public StreamProperties {
    if (heartbeat.isNegative() || heartbeat.isZero() || maxDuration.isNegative() || maxDuration.isZero()
        || maxOpen < 1 || maxBacklog < 1) {
      throw new IllegalArgumentException("quench.api.streams: heartbeat and max-duration must be positive, "
          + "max-open and max-backlog at least 1");
    }
  }
}
