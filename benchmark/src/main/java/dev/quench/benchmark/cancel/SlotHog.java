package dev.quench.benchmark.cancel;

import dev.quench.benchmark.http.ApiClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Long sleeps that hold every slot of the worker, so tasks created after them stay queued: the cancel section
 * cancels queued tasks, whose outcome the worker decides at once, without a handler in the way.
 */
public final class SlotHog {

  private static final String SIX_HOURS = "{\"duration_ms\":21600000}";
  private static final long START_TIMEOUT_MS = 60_000;

  private final ApiClient api;
  private final List<String> holding = new ArrayList<>();

  public SlotHog(ApiClient api) {
    this.api = api;
  }

  /** Creates {@code slots} long sleeps and returns once every one is running. */
  public void occupy(int slots) throws IOException, InterruptedException {
    for (int i = 0; i < slots; i++) {
      HttpResponse<String> response = api.send(api.create("sleep", SIX_HOURS));
      String id = ApiClient.taskId(response.body());
      if (response.statusCode() / 100 != 2 || id == null) {
        throw new IllegalStateException("creating a long sleep answered " + response.statusCode());
      }
      holding.add(id);
    }
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    for (String id : holding) {
      while (!"running".equals(ApiClient.status(api.send(api.get(id)).body()))) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("long sleep " + id + " did not start within " + START_TIMEOUT_MS
              + " ms: is a slot still taken by an earlier task?");
        }
        Thread.sleep(50);
      }
    }
  }

  public boolean occupied() {
    return !holding.isEmpty();
  }

  /** Cancels the long sleeps, so the worker need not wait for them when the run ends. */
  public void release() {
    for (String id : holding) {
      try {
        api.send(api.cancel(id));
      } catch (IOException e) {
        // The worker stops them at shutdown anyway, after its grace period.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    holding.clear();
  }
}
