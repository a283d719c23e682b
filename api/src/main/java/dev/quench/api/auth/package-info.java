/**
 * Who is calling: {@code Authorization: Bearer <key>} on every {@code /v1} request, resolved to a
 * {@link dev.quench.api.auth.Caller} with a tenant and scopes. Keys are held as SHA-256 hashes only.
 */
package dev.quench.api.auth;
