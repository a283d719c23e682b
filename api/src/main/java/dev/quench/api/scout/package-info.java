/**
 * The Scout rendering of the same read model under {@code /scout/v1}: its task shape ({@code run_id}, {@code task},
 * {@code credits}, {@code createdAt}, ...), its processors, and its 422 validation errors, so a Scout client works
 * against quench by changing only its base URL.
 */
package dev.quench.api.scout;
