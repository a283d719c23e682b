package dev.quench.api.web;

/**
 * The shared vocabulary endpoints document themselves with in the OpenAPI description: tag names, references to the
 * parameters {@link OpenApiConfiguration} defines once, and the words for the refusals most endpoints share. See
 * {@link OpenApiConfiguration} for how an endpoint documents itself.
 */
public final class ApiDocs {

  /** The tag of the beatra contract's endpoints under {@code /v1}. */
  public static final String TASKS = "Tasks";
  /** The tag of the Scout contract's endpoints under {@code /scout/v1}. */
  public static final String SCOUT = "Scout tasks";
  /** The tag of the cancellation batches under {@code /v1/cancellation_batches}. */
  public static final String BATCHES = "Cancellation batches";

  /** The {@code batch_id} path parameter. */
  public static final String BATCH_ID = "#/components/parameters/BatchId";
  /** The {@code limit} of a page of batches or of a batch's report: 1 to 1,000. */
  public static final String PAGE_LIMIT = "#/components/parameters/PageLimit";
  /** Only the subtasks of a task. */
  public static final String LIST_PARENT = "#/components/parameters/ListParent";

  /** The {@code task_id} path parameter. */
  public static final String TASK_ID = "#/components/parameters/TaskId";
  /** The optional {@code Prefer: wait=N} header: answer once the task has ended, or after N seconds. */
  public static final String PREFER_WAIT = "#/components/parameters/PreferWait";
  /** The optional {@code Idempotency-Key} header of a POST. */
  public static final String IDEMPOTENCY_KEY = "#/components/parameters/IdempotencyKey";
  /** The filters and paging of a task listing, the same on both contracts. */
  public static final String LIST_STATUS = "#/components/parameters/ListStatus";
  public static final String LIST_CAPABILITY = "#/components/parameters/ListCapability";
  public static final String LIST_METADATA = "#/components/parameters/ListMetadata";
  public static final String LIST_CREATED_AFTER = "#/components/parameters/ListCreatedAfter";
  public static final String LIST_CREATED_BEFORE = "#/components/parameters/ListCreatedBefore";
  public static final String LIST_LIMIT = "#/components/parameters/ListLimit";
  public static final String LIST_CURSOR = "#/components/parameters/ListCursor";

  public static final String BAD_REQUEST = "A field, parameter or header is wrong (`field` names it; "
      + "`malformed_json` if the body is no JSON)";
  public static final String NOT_FOUND = "No such task for this tenant (`task_not_found`)";
  public static final String BATCH_NOT_FOUND = "No such batch for this tenant (`batch_not_found`)";
  public static final String IN_FLIGHT = "A request with this Idempotency-Key is still in progress "
      + "(`idempotency_key_in_flight`); retry it in a moment";
  public static final String TOO_LARGE = "The body is larger than 1 MiB (`body_too_large`)";
  public static final String NOT_JSON = "The body is not `application/json` (`unsupported_media_type`)";
  public static final String UNAVAILABLE = "The task log could not confirm the request in time "
      + "(`service_unavailable`, retryable): it may not be recorded; retry it with the same Idempotency-Key";
  public static final String KEY_REUSED = "The Idempotency-Key was used for another request: another body, or "
      + "another task's cancel (`idempotency_key_reused`)";
  public static final String SCOUT_INVALID = "The request is invalid: Scout's `detail` list says where "
      + "(`loc`) and why (`msg`, `type`); quench's `error` is beside it";

  private ApiDocs() {
  }
}
