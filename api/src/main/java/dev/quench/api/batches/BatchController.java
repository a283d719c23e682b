package dev.quench.api.batches;

import dev.quench.api.auth.Caller;
import dev.quench.api.log.BatchStore;
import dev.quench.api.tasks.Idempotency;
import dev.quench.api.web.ApiDocs;
import dev.quench.api.web.ApiException;
import dev.quench.api.web.PageParameters;
import dev.quench.api.web.RequestIds;
import dev.quench.events.BatchChunkView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
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
@Tag(name = ApiDocs.BATCHES)
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
  @Operation(operationId = "createCancellationBatch", summary = "Cancel many tasks", description = "Fixes the "
      + "targets when it accepts the batch (by ids, or by a filter resolved against every acknowledged task) and "
      + "records them; each target is then cancelled like a single cancel, at most `max_per_second` a second. "
      + "Nothing created after acceptance is touched. With `dry_run`, answers the exact count and records nothing. "
      + "A batch counts as one write for the rate limit. Needs `tasks:cancel`.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
      schema = @Schema(implementation = CreateBatchRequest.class),
      examples = @ExampleObject(name = "dry run", summary = "Count the queued sleeps a batch would cancel",
          value = CreateBatchRequest.EXAMPLE)))
  @ApiResponse(responseCode = "200", description = "A dry run: what the batch would cancel now",
      content = @Content(schema = @Schema(implementation = BatchResource.PreviewResource.class)))
  @ApiResponse(responseCode = "202", description = "Accepted: its targets are fixed and recorded",
      headers = @Header(name = "Location", description = "The batch's URL", schema = @Schema(type = "string")),
      content = @Content(schema = @Schema(implementation = BatchResource.class)))
  @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST)
  @ApiResponse(responseCode = "409", description = ApiDocs.IN_FLIGHT)
  @ApiResponse(responseCode = "413", description = ApiDocs.TOO_LARGE)
  @ApiResponse(responseCode = "415", description = ApiDocs.NOT_JSON)
  @ApiResponse(responseCode = "422", description = "The filter matches more than 100,000 tasks "
      + "(`too_many_targets`), or " + "the Idempotency-Key was used for another request (`idempotency_key_reused`)")
  @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE)
  ResponseEntity<?> create(Caller caller, @RequestBody JsonNode body,
                           @Parameter(ref = ApiDocs.IDEMPOTENCY_KEY)
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
  @Operation(operationId = "listCancellationBatches", summary = "List cancellation batches", description = "The "
      + "caller's batches, newest first. Needs `tasks:read`.", parameters = {@Parameter(ref = ApiDocs.PAGE_LIMIT),
          @Parameter(ref = ApiDocs.LIST_CURSOR)})
  @ApiResponse(responseCode = "200", description = "One page",
      content = @Content(schema = @Schema(implementation = BatchList.class)))
  @ApiResponse(responseCode = "400", description = "A query parameter is wrong (`field` names it)")
  BatchList list(Caller caller, @Parameter(hidden = true) @RequestParam(required = false) String limit,
                 @Parameter(hidden = true) @RequestParam(required = false) String cursor) {
    int size = limit(limit);
    BatchStore.Listed after = cursor == null ? null : listCursor(caller.tenant(), cursor);
    List<BatchStore.Snapshot> page = batches.list(caller, after, size + 1);
    boolean more = page.size() > size;
    List<BatchStore.Snapshot> shown = page.subList(0, Math.min(size, page.size()));
    String next = more ? listCursorOf(shown.get(shown.size() - 1)) : null;
    return new BatchList("list", shown.stream().map(BatchResource::of).toList(), more, next);
  }

  @GetMapping("/{batch_id}")
  @Operation(operationId = "getCancellationBatch", summary = "Get a cancellation batch", description = "Its "
      + "progress: how many targets ended each way so far. Needs `tasks:read`.")
  @ApiResponse(responseCode = "200", description = "The batch",
      content = @Content(schema = @Schema(implementation = BatchResource.class)))
  @ApiResponse(responseCode = "404", description = ApiDocs.BATCH_NOT_FOUND)
  BatchResource get(Caller caller, @Parameter(ref = ApiDocs.BATCH_ID) @PathVariable("batch_id") String batchId) {
    return BatchResource.of(batches.visible(caller, batchId));
  }

  /** Every target with its own outcome, in pages. */
  @GetMapping("/{batch_id}/tasks")
  @Operation(operationId = "listCancellationBatchTargets", summary = "Report a batch target by target",
      description = "Every target in the order it is handed on, with its own outcome; the whole report as JSON "
          + "Lines with `Accept: application/x-ndjson`. Needs `tasks:read`.", parameters = {
          @Parameter(ref = ApiDocs.PAGE_LIMIT), @Parameter(ref = ApiDocs.LIST_CURSOR)})
  @ApiResponse(responseCode = "200", description = "One page; or, as JSON Lines, every target",
      content = {@Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
          schema = @Schema(implementation = TargetList.class)),
          @Content(mediaType = NDJSON, schema = @Schema(implementation = BatchResource.TargetResource.class))})
  @ApiResponse(responseCode = "400", description = "A query parameter is wrong (`field` names it)")
  @ApiResponse(responseCode = "404", description = ApiDocs.BATCH_NOT_FOUND)
  TargetList targets(Caller caller, @Parameter(ref = ApiDocs.BATCH_ID) @PathVariable("batch_id") String batchId,
                     @Parameter(hidden = true) @RequestParam(required = false) String limit,
                     @Parameter(hidden = true) @RequestParam(required = false) String cursor) {
    List<BatchChunkView.Target> targets = batches.visible(caller, batchId).targets();
    int size = limit(limit);
    int from = cursor == null ? 0 : targetCursor(cursor);
    int to = Math.min(targets.size(), from + size);
    List<BatchResource.TargetResource> page = targets.subList(Math.min(from, to), to).stream()
        .map(BatchResource.TargetResource::of).toList();
    boolean more = to < targets.size();
    return new TargetList("list", page, more, more ? targetCursorOf(to) : null);
  }

  /** The whole report as JSON Lines ({@code Accept: application/x-ndjson}): one target a line, as the pages show it. */
  @GetMapping(path = "/{batch_id}/tasks", produces = NDJSON)
  @Operation(hidden = true)
  void targetLines(Caller caller, @PathVariable("batch_id") String batchId, HttpServletResponse response)
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
  @PostMapping("/{batch_id}/abort")
  @Operation(operationId = "abortCancellationBatch", summary = "Abort a cancellation batch", description = "The "
      + "targets not yet handed on never will be; the report says which (`aborted`). Needs `tasks:cancel`.")
  @ApiResponse(responseCode = "200", description = "It had settled, or was aborted already: unchanged",
      content = @Content(schema = @Schema(implementation = BatchResource.class)))
  @ApiResponse(responseCode = "202", description = "The abort is recorded",
      content = @Content(schema = @Schema(implementation = BatchResource.class)))
  @ApiResponse(responseCode = "404", description = ApiDocs.BATCH_NOT_FOUND)
  @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE)
  ResponseEntity<BatchResource> abort(Caller caller,
                                      @Parameter(ref = ApiDocs.BATCH_ID) @PathVariable("batch_id") String batchId,
                                      HttpServletRequest http) {
    BatchCommands.Aborted aborted = batches.abort(caller, batchId, RequestIds.of(http));
    return ResponseEntity.status(aborted.recorded() ? 202 : 200).body(BatchResource.of(aborted.batch()));
  }

  private static int limit(String value) {
    return PageParameters.limit(value, DEFAULT_LIMIT, MAX_LIMIT);
  }

  private static String targetCursorOf(int index) {
    return PageParameters.cursorOf("t|" + index);
  }

  private static int targetCursor(String cursor) {
    String position = PageParameters.position(cursor);
    try {
      if (position.startsWith("t|")) {
        int index = Integer.parseInt(position.substring(2));
        if (index >= 0) {
          return index;
        }
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw PageParameters.badCursor();
  }

  private static String listCursorOf(BatchStore.Snapshot last) {
    return PageParameters.cursorOf(last.header().createdAt() + "|" + last.header().batchId());
  }

  private static BatchStore.Listed listCursor(String tenant, String cursor) {
    String[] parts = PageParameters.position(cursor).split("\\|", 2);
    try {
      return new BatchStore.Listed(tenant, Instant.parse(parts[0]), UUID.fromString(parts[1]));
    } catch (RuntimeException e) {
      throw PageParameters.badCursor();
    }
  }
}
