package dev.quench.events;

/**
 * A client asked to stop a cancellation batch: the targets not yet handed on never will be.
 *
 * <p>Emitted by the api ({@code POST /v1/cancellation_batches/{id}/abort}) to the requests topic, into the batch's
 * home partition and every partition holding its targets, in one Kafka transaction; sequenced into the log by each
 * partition's owner, which then records the targets it never handed on ({@link BatchTargetsSkipped}). Key and the
 * envelope's {@code task_id}: the batch id. A second request for the same batch changes nothing.
 *
 * @param requestedBy the API key id that asked
 */
public record BatchAbortRequested(String requestedBy) implements TaskEvent {
}
