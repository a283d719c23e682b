package dev.quench.events;

/**
 * Something the client should know about its request that did not stop it, e.g. a reason that had to be shortened.
 *
 * @param code    stable, e.g. {@code reason_truncated}
 * @param message for humans
 * @param field   the request field concerned, or null
 */
public record Warning(String code, String message, String field) {
}
