package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.events.CallbackSchedule.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Given a delivery and an attempt's result, then the event that records it. */
class CallbackScheduleTests {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final CallbackSchedule schedule = new CallbackSchedule(List.of(Duration.ZERO, Duration.ofSeconds(10),
      Duration.ofSeconds(100)), 0.1);

  private static CallbackDelivery after(int attempts) {
    return new CallbackDelivery("https://x.example", CallbackStatus.PENDING, attempts, null, null, UUID.randomUUID(),
        NOW);
  }

  @Test
  void aTwoHundredIsDelivered() {
    assertThat(schedule.afterAttempt(after(0), Result.status(202, null), NOW, 0.5))
        .isEqualTo(new CallbackDelivered(1, 202));
  }

  @Test
  void fiveHundredsTooManyRequestsTimeoutsAndRefusedConnectionsAreRetriedOnTheSchedule() {
    for (Result result : List.of(Result.status(500, null), Result.status(503, null), Result.status(429, null),
        Result.transientError("timed out after 2 s"), Result.transientError("connection refused"))) {
      TaskEvent event = schedule.afterAttempt(after(0), result, NOW, 0.5);

      assertThat(event).as("%s", result).isInstanceOf(CallbackAttempted.class);
      assertThat(((CallbackAttempted) event).nextAttemptAt()).isEqualTo(NOW.plusSeconds(10));
    }
  }

  @Test
  void theJitterSpreadsTheDelayByAtMostItsFraction() {
    Instant earliest = ((CallbackAttempted) schedule.afterAttempt(after(1), Result.status(500, null), NOW, 0.0))
        .nextAttemptAt();
    Instant latest = ((CallbackAttempted) schedule.afterAttempt(after(1), Result.status(500, null), NOW, 0.999999))
        .nextAttemptAt();

    assertThat(earliest).isEqualTo(NOW.plusSeconds(90));
    assertThat(latest).isBetween(NOW.plusSeconds(109), NOW.plusSeconds(110));
  }

  @Test
  void aRetryAfterLongerThanTheScheduleIsHonoured() {
    CallbackAttempted event = (CallbackAttempted) schedule.afterAttempt(after(0),
        Result.status(429, Duration.ofSeconds(60)), NOW, 0.5);

    assertThat(event.nextAttemptAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(event.statusCode()).isEqualTo(429);
  }

  @Test
  void goneStopsAtOnce() {
    assertThat(schedule.afterAttempt(after(0), Result.status(410, null), NOW, 0.5))
        .isEqualTo(new CallbackAbandoned(1, 410, null));
  }

  @Test
  void otherClientErrorsRedirectsAndRefusedAddressesAreGivenUp() {
    assertThat(schedule.afterAttempt(after(0), Result.status(400, null), NOW, 0.5))
        .isInstanceOf(CallbackAbandoned.class);
    assertThat(schedule.afterAttempt(after(0), Result.status(302, null), NOW, 0.5))
        .isEqualTo(new CallbackAbandoned(1, 302, "redirects are not followed"));
    assertThat(schedule.afterAttempt(after(0), Result.permanentError("address refused: 10.0.0.1 is private"), NOW,
        0.5)).isEqualTo(new CallbackAbandoned(1, null, "address refused: 10.0.0.1 is private"));
  }

  @Test
  void theLastAttemptOfTheScheduleGivesUp() {
    assertThat(schedule.afterAttempt(after(2), Result.status(500, null), NOW, 0.5))
        .isEqualTo(new CallbackAbandoned(3, 500, "no attempts left"));
  }

  @Test
  void theDefaultIsStandardWebhooksExampleSchedule() {
    assertThat(CallbackSchedule.DEFAULT.delays()).containsExactly(Duration.ZERO, Duration.ofSeconds(5),
        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
        Duration.ofHours(10), Duration.ofHours(10));
  }
}
