package dev.quench.events;

/**
 * Where a task's client wants to hear of its end: a signed POST (Standard Webhooks) once it reaches a terminal status.
 * Carried by {@link TaskSubmitted}; the api checks the address before it records it, and the deliverer checks it again
 * when it sends.
 *
 * @param url the absolute {@code https} (or, where configuration allows, {@code http}) URL to POST to
 */
public record CallbackRequest(String url) {
}
