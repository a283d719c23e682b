package dev.quench.api.batches;

import dev.quench.api.auth.Caller;
import dev.quench.api.log.BatchStore;
import dev.quench.api.tasks.Idempotency;
import dev.quench.api.tasks.TaskPage;
import dev.quench.api.web.ApiException;
import dev.quench.api.web.RequestIds;
import dev.quench.events.BatchChunkView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /v1/cancellation_batches}: cancel many tasks with one request (by ids or by filter), see a batch's progress,
 * read its report target by target (pages, or the whole of it as JSON Lines), and abort it.
 */
@RestController
@RequestMapping(path = "/v1/cancellation_batches", produces = MediaType.APPLICATION_JSON_VALUE)
class BatchController {

  static final String NDJSON = "application/x-ndjson";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final BatchCommands batches;
  private final JsonMapper json;

  BatchController(BatchCommands batches, JsonMapper json) {
    this.batches = batches;
    this.json = json;
  }

  /** 202 with the batch, its targets fixed; 200 with the exact count for a dry run, nothing recorded. */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<?> create(Caller caller, @RequestBody JsonNode body,
                           @RequestHeader(name = "Idempotency-Key", required = false) String key,
                           HttpServletRequest http) {
    caller.require(Caller.CANCEL);
    BatchRequests.BatchRequest request = BatchRequests.of(caller.tenant(), body);
    if (request.dryRun()) {
      return ResponseEntity.ok(BatchResource.PreviewResource.of(batches.preview(caller, request)));
    }
    BatchStore.Snapshot batch = batches.accept(caller, request, Idempotency.key(key),
        Idempotency.fingerprint("POST /v1/cancellation_batches", body), RequestIds.of(http));
    BatchResource resource = BatchResource.of(batch);
    return ResponseEntity.accepted().location(URI.create(resource.links().self())).body(resource);
  }

  @GetMapping
  TaskPage<BatchResource> list(Caller caller, @RequestParam(required = false) String limit,
                               @RequestParam(required = false) String cursor) {
    int size = limit(limit);
    BatchStore.Listed after = cursor == null ? null : listCursor(caller.tenant(), cursor);
    List<BatchStore.Snapshot> page = batches.list(caller, after, size + 1);
    boolean more = page.size() > size;
    List<BatchStore.Snapshot> shown = page.subList(0, Math.min(size, page.size()));
    String next = more ? listCursorOf(shown.get(shown.size() - 1)) : null;
    return new TaskPage<>("list", shown.stream().map(BatchResource::of).toList(), more, next);
  }

  @GetMapping("/{batchId}")
  BatchResource get(Caller caller, @PathVariable String batchId) {
    return BatchResource.of(batches.visible(caller, batchId));
  }

  /** Every target with its own outcome, in pages. */
  @GetMapping("/{batchId}/tasks")
  TaskPage<BatchResource.TargetResource> targets(Caller caller, @PathVariable String batchId,
                                                 @RequestParam(required = false) String limit,
                                                 @RequestParam(required = false) String cursor) {
    List<BatchChunkView.Target> targets = batches.visible(caller, batchId).targets();
    int size = limit(limit);
    int from = cursor == null ? 0 : targetCursor(cursor);
    int to = Math.min(targets.size(), from + size);
    List<BatchResource.TargetResource> page = targets.subList(Math.min(from, to), to).stream()
        .map(BatchResource.TargetResource::of).toList();
    boolean more = to < targets.size();
    return new TaskPage<>("list", page, more, more ? targetCursorOf(to) : null);
  }

  /** The whole report as JSON Lines ({@code Accept: application/x-ndjson}): one target a line, as the pages show it. */
  @GetMapping(path = "/{batchId}/tasks", produces = NDJSON)
  void targetLines(Caller caller, @PathVariable String batchId, HttpServletResponse response)
      throws java.io.IOException {
    List<BatchChunkView.Target> targets = batches.visible(caller, batchId).targets();
    response.setContentType(NDJSON);
    OutputStream out = response.getOutputStream();
    for (BatchChunkView.Target target : targets) {
      out.write(json.writeValueAsBytes(BatchResource.TargetResource.of(target)));
      out.write('\n');
    }
    out.flush();
  }

  /** 202 with the batch once the abort is recorded; 200 if it had settled or was aborted already. */
  @PostMapping("/{batchId}/abort")
  ResponseEntity<BatchResource> abort(Caller caller, @PathVariable String batchId, HttpServletRequest http) {
    BatchCommands.Aborted aborted = batches.abort(caller, batchId, RequestIds.of(http));
    return ResponseEntity.status(aborted.recorded() ? 202 : 200).body(BatchResource.of(aborted.batch()));
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.invalid("limit", "limit must be an integer from 1 to " + MAX_LIMIT);
  }

  private static String targetCursorOf(int index) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("t|" + index).getBytes(StandardCharsets.UTF_8));
  }

  private static int targetCursor(String cursor) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (decoded.startsWith("t|")) {
        int index = Integer.parseInt(decoded.substring(2));
        if (index >= 0) {
          return index;
        }
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ApiException.invalid("cursor", "cursor is not one this api gave out");
  }

  private static String listCursorOf(BatchStore.Snapshot last) {
    String raw = last.header().createdAt() + "|" + last.header().batchId();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static BatchStore.Listed listCursor(String tenant, String cursor) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
      return new BatchStore.Listed(tenant, Instant.parse(parts[0]), UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw ApiException.invalid("cursor", "cursor is not one this api gave out");
    }
  }
}
