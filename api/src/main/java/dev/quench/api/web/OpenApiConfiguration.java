package dev.quench.api.web;

import dev.quench.api.auth.Caller;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * The live OpenAPI 3.1 description ({@code /v3/api-docs}, browsable at {@code /swagger-ui.html}): both contracts'
 * endpoints with real schemas, their parameters and headers, and the error shape each refusal really has.
 *
 * <h2>How an endpoint documents itself</h2>
 * <ul>
 *   <li>The controller method carries {@code @Operation} with an {@code operationId} (camel case; Scout's prefixed
 *       {@code scout}) and a {@code summary} (the reference doc's title where there is one), and its class a
 *       {@code @Tag} of {@link ApiDocs}.</li>
 *   <li>A JSON body is read as a {@code JsonNode} (so every field gets its own error), and documented by a record
 *       that only describes it (see {@code CreateTaskRequest}) through swagger's {@code @RequestBody}, with an
 *       {@code @ExampleObject} that works as it is: Swagger UI's "Try it out" sends it, and a test posts every
 *       example to a live api.</li>
 *   <li>Each success is an {@code @ApiResponse} with its schema. Response records carry {@code @Schema}: a
 *       {@code name} (the component's), descriptions, {@code allowableValues} for enums, {@code types = {"string",
 *       "null"}} for what may be null, examples. Every property of a schema a success returns is marked required
 *       here: responses always carry every field.</li>
 *   <li>Each refusal is an {@code @ApiResponse(responseCode, description)} without content: this class gives it the
 *       error shape of its base path ({@code ErrorResponse} under {@code /v1}; under {@code /scout/v1}
 *       {@code ScoutValidationError} for a 422 and {@code ScoutErrorResponse} otherwise). 401 and 403 are added to
 *       every operation.</li>
 *   <li>Shared parameters are referenced, not repeated: {@code @Parameter(ref = ApiDocs.TASK_ID)} on a
 *       {@code @PathVariable("task_id")}, {@link ApiDocs#IDEMPOTENCY_KEY} on the {@code Idempotency-Key} header,
 *       the {@code ApiDocs.LIST_*} filters on a listing. {@code X-Request-Id} is added to every operation, as a
 *       request header and a header of every response.</li>
 * </ul>
 * {@code OpenApiIntegrationTests} validates the result with swagger-parser and Redocly's strict rules, and checks it
 * against both reference docs.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static {
    // The authenticated caller is resolved from the Authorization header, not bound from the request.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    // A stream's handler returns its emitter; what the stream carries is documented on the operation instead.
    SpringDocUtils.getConfig().addResponseTypeToIgnore(SseEmitter.class);
    // Any JSON value, not Jackson's tree classes: each field that holds one says what it may be.
    SpringDocUtils.getConfig().replaceWithSchema(JsonNode.class, new Schema<>());
  }

  private static final String SCHEMAS = "#/components/schemas/";
  private static final String REQUEST_ID = "X-Request-Id";
  private static final List<String> STATUSES = List.of("queued", "running", "completed", "failed", "cancelled");

  @Bean
  OpenAPI quenchOpenApi() {
    Components components = new Components()
        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
            .bearerFormat("API key").description("`Authorization: Bearer <API key>`: the key decides the tenant "
                + "whose tasks the caller sees, and its scopes what it may do."))
        .addHeaders(REQUEST_ID, new Header().description("The request's id: the client's `X-Request-Id` when it is "
            + "usable (1 to 128 printable ASCII characters, no spaces), else one generated here; also in every "
            + "error, and recorded with what the request wrote.").schema(typed("string")));
    parameters().forEach(components::addParameters);
    errorSchemas().forEach(components::addSchemas);
    return new OpenAPI()
        .info(new Info().title("quench").version("v1").description("Event-sourced task cancellation on Kafka. "
            + "The beatra task API is served under `/v1`, the Scout rendering of the same tasks under `/scout/v1`: "
            + "a client of either works by changing only its base URL."))
        .servers(List.of(new Server().url("/").description("This api")))
        .tags(List.of(
            new Tag().name(ApiDocs.TASKS).description("The beatra task API: create, list, read and cancel tasks."),
            new Tag().name(ApiDocs.SCOUT).description("The same tasks as Scout task runs."),
            new Tag().name(ApiDocs.BATCHES).description("Cancel many tasks with one request, by ids, by filter or "
                + "over a task tree: the targets are fixed when it is accepted, and each one's outcome reported.")))
        .components(components)
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  @Bean
  OpenApiCustomizer sharedHeadersAndErrors() {
    return openApi -> {
      openApi.getComponents().getSchemas().putAll(errorSchemas());
      openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
        boolean scout = path.startsWith("/scout/");
        if (operation.getParameters() != null) {
          // A reference to a shared parameter is only that: what Spring's annotations added beside it would clash.
          operation.getParameters().replaceAll(p -> p.get$ref() == null ? p : new Parameter().$ref(p.get$ref()));
        }
        operation.addParametersItem(new Parameter().$ref("#/components/parameters/XRequestId"));
        operation.getResponses().putIfAbsent("401", new ApiResponse().description("No API key, or not one of "
            + "ours (`missing_api_key`, `invalid_authorization`, `invalid_api_key`)"));
        operation.getResponses().putIfAbsent("403", new ApiResponse().description("The API key lacks the "
            + "scope this needs (`insufficient_scope`)"));
        operation.getResponses().forEach((status, response) -> {
          response.addHeaderObject(REQUEST_ID, new Header().$ref("#/components/headers/" + REQUEST_ID));
          if (status.startsWith("4") || status.startsWith("5")) {
            String shape = !scout ? "ErrorResponse" : status.equals("422") ? "ScoutValidationError"
                : "ScoutErrorResponse";
            response.setContent(new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref(SCHEMAS + shape))));
          }
        });
      }));
      markResponseFieldsRequired(openApi);
      openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::nullableReferences);
    };
  }

  /**
   * A property that refers to another schema and may be null is {@code anyOf} the two: beside a {@code $ref}, a type
   * would only narrow the schema referred to, which is an object, never null.
   */
  private static void nullableReferences(Schema<?> schema) {
    if (schema.getProperties() == null) {
      return;
    }
    schema.getProperties().replaceAll((name, property) -> {
      if (property.get$ref() == null || property.getTypes() == null || !property.getTypes().contains("null")) {
        return property;
      }
      Schema<?> either = new Schema<>().anyOf(List.of(new Schema<>().$ref(property.get$ref()),
          typed("null")));
      either.setDescription(property.getDescription());
      return either;
    });
  }

  /** Responses always carry every field, null or not: each property of a schema a success returns is required. */
  private static void markResponseFieldsRequired(OpenAPI openApi) {
    Map<String, Schema> schemas = openApi.getComponents().getSchemas();
    Deque<Schema<?>> todo = new ArrayDeque<>();
    for (PathItem item : openApi.getPaths().values()) {
      for (Operation operation : item.readOperations()) {
        operation.getResponses().forEach((status, response) -> {
          if (status.startsWith("2") && response.getContent() != null) {
            response.getContent().values().forEach(media -> todo.add(media.getSchema()));
          }
        });
      }
    }
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Schema<?> schema = todo.pop();
      if (schema == null) {
        continue;
      }
      if (schema.get$ref() != null) {
        String name = schema.get$ref().substring(SCHEMAS.length());
        if (seen.add(name) && schemas.containsKey(name)) {
          todo.push(schemas.get(name));
        }
        continue;
      }
      if (schema.getProperties() != null) {
        schema.setRequired(List.copyOf(schema.getProperties().keySet()));
        schema.getProperties().values().forEach(todo::push);
      }
      if (schema.getItems() != null) {
        todo.push(schema.getItems());
      }
      if (schema.getAnyOf() != null) {
        schema.getAnyOf().forEach(todo::push);
      }
    }
  }

  /** The error shapes: one object under {@code error}; on Scout paths also Scout's {@code detail}. */
  private static Map<String, Schema> errorSchemas() {
    Map<String, Schema> schemas = new LinkedHashMap<>(ModelConverters.getInstance(true).read(ApiError.class));
    Schema<?> error = new Schema<>().$ref(SCHEMAS + "Error");
    schemas.put("ErrorResponse", typed("object").description("Every refusal of the api: one error "
        + "object.").addProperty("error", error).addRequiredItem("error"));
    schemas.put("ScoutErrorResponse", typed("object").description("A refusal on a Scout path: "
        + "quench's error, and Scout's `detail`, the message.").addProperty("error", error)
        .addProperty("detail", typed("string")).addRequiredItem("error")
        .addRequiredItem("detail"));
    Schema<?> location = typed("string", "integer");
    schemas.put("ScoutValidationErrorItem", typed("object").description("Where a request is invalid "
        + "and why.").addProperty("loc", new ArraySchema().items(location).minItems(1).description("Where: "
            + "`[\"body\", field]` or `[\"header\", name]`").example(List.of("body", "processor")))
        .addProperty("msg", typed("string").example("processor must be one of base, core, "
            + "ultra"))
        .addProperty("type", typed("string").example("validation_error"))
        .required(List.of("loc", "msg", "type")));
    schemas.put("ScoutValidationError", typed("object").description("Scout's 422 Unprocessable "
        + "Entity: its `detail` list, with quench's error beside it.").addProperty("detail", new ArraySchema()
        .items(new Schema<>().$ref(SCHEMAS + "ScoutValidationErrorItem")).minItems(1))
        .addProperty("error", error).required(List.of("detail", "error")));
    return schemas;
  }

  /** A schema of these JSON types; in OpenAPI 3.1 a type is one of a set, which {@code Schema.type} does not set. */
  private static <T> Schema<T> typed(String... types) {
    return new Schema<T>().types(new LinkedHashSet<>(List.of(types)));
  }

  /** The parameters several operations share, by the names {@link ApiDocs} refers to them with. */
  private static Map<String, Parameter> parameters() {
    Map<String, Parameter> parameters = new LinkedHashMap<>();
    parameters.put("TaskId", new Parameter().in("path").name("task_id").required(true).description("Task Id")
        .schema(typed("string").example("0193a1f2-7c3e-7d41-9a5b-1f0e2d3c4b5a")));
    parameters.put("IdempotencyKey", new Parameter().in("header").name("Idempotency-Key").description("Optional "
        + "idempotency key for safe retries of mutating requests: a retry with the same key and body has no second "
        + "effect and gets the first answer again; the same key for another request is 422. Remembered per API key "
        + "for `quench.api.idempotency-retention` (24 h).").schema(typed("string").minLength(1)
        .maxLength(255).pattern("^[\\x20-\\x7e]+$")));
    parameters.put("PreferWait", new Parameter().in("header").name("Prefer").description("`wait=N` (RFC 7240, N "
        + "whole seconds; more than 60 counts as 60): answer once the task has ended or after N seconds, whichever "
        + "comes first, with `Preference-Applied: wait=N`. Other preferences are ignored.")
        .schema(typed("string").example("wait=10")));
    parameters.put("XRequestId", new Parameter().in("header").name(REQUEST_ID).description("Optional client "
        + "request id echoed in the response.").schema(typed("string").maxLength(128)));
    parameters.put("ListStatus", new Parameter().in("query").name("status").description("Only tasks in these "
        + "statuses; comma-separated for several.").style(Parameter.StyleEnum.FORM).explode(false)
        .schema(new ArraySchema().items(OpenApiConfiguration.<String>typed("string")._enum(STATUSES))));
    parameters.put("ListCapability", new Parameter().in("query").name("capability").description("Only tasks of "
        + "this capability.").schema(typed("string").example("sleep")));
    parameters.put("ListMetadata", new Parameter().in("query").name("metadata").description("Only tasks whose "
        + "metadata has these values: `metadata[team]=search`; every one given must match.")
        .style(Parameter.StyleEnum.DEEPOBJECT).explode(true).schema(typed("object")
            .additionalProperties(typed("string"))));
    parameters.put("ListCreatedAfter", new Parameter().in("query").name("created_after").description("Only tasks "
        + "created after this instant (ISO-8601).").schema(typed("string").format("date-time")));
    parameters.put("ListCreatedBefore", new Parameter().in("query").name("created_before").description("Only tasks "
        + "created before this instant (ISO-8601).").schema(typed("string").format("date-time")));
    parameters.put("ListLimit", new Parameter().in("query").name("limit").description("How many tasks at most.")
        .schema(typed("integer").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(100))
            ._default(20)));
    parameters.put("ListParent", new Parameter().in("query").name("parent_task_id").description("Only the "
        + "subtasks of this task.").schema(typed("string")));
    parameters.put("BatchId", new Parameter().in("path").name("batch_id").required(true).description("Batch Id")
        .schema(typed("string").format("uuid").example("0193a1f2-7c3e-7d41-9a5b-1f0e2d3c4b5a")));
    parameters.put("PageLimit", new Parameter().in("query").name("limit").description("How many at most.")
        .schema(typed("integer").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(1000))._default(100)));
    parameters.put("ListCursor", new Parameter().in("query").name("cursor").description("The `next_cursor` of the "
        + "previous page.").schema(typed("string")));
    return parameters;
  }
}
