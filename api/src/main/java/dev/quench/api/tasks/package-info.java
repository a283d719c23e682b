/**
 * The task endpoints of the beatra contract under {@code /v1/tasks}: submit, read, cancel. Requests are validated
 * here, appended through {@link dev.quench.api.log.RequestLog} and answered from
 * {@link dev.quench.api.log.TaskViewReplica}, so every answer already reflects its own request.
 */
package dev.quench.api.tasks;
