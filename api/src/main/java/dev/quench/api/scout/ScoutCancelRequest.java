package dev.quench.api.scout;

import io.swagger.v3.oas.annotations.media.Schema;

/** The body of {@code POST /scout/v1/tasks/{task_id}/cancel} as documented: an empty object, or none at all. */
@Schema(name = "ScoutCancelRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
    description = "Takes no fields.")
record ScoutCancelRequest() {

  /** What Swagger UI's "Try it out" sends as it is, as Scout's own example does. */
  static final String EXAMPLE = "{}";
}
