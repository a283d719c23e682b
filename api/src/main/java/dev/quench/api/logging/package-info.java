/**
 * What the api's log lines carry and what they never do: the request's context in every line
 * ({@link dev.quench.api.logging.LogContext}: request id, tenant, key id, task id) and no secret
 * ({@link dev.quench.api.logging.SecretRedaction}).
 */
package dev.quench.api.logging;
