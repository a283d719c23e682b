package dev.quench.api.web;

import dev.quench.api.auth.Caller;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The live OpenAPI description ({@code /v3/api-docs}, browsable at {@code /swagger-ui.html}): every endpoint with
 * the bearer key it needs and the error shape each of its refusals really has.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  static {
    // The authenticated caller is resolved from the Authorization header, not bound from the request.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
  }

  private static final Map<String, String> ERRORS = Map.of(
      "400", "Invalid request: a field, parameter or header is wrong (field names it)",
      "401", "Missing or unknown API key",
      "403", "The API key lacks the scope this needs",
      "404", "No such task for this tenant, or no such endpoint",
      "409", "A request with this Idempotency-Key is still in flight",
      "413", "The body is larger than the limit",
      "415", "The body is not application/json",
      "422", "Idempotency-Key reused for a different request; on /scout/v1 also validation errors",
      "503", "The task log could not confirm the request in time; retry it");

  @Bean
  OpenAPI quenchOpenApi() {
    return new OpenAPI()
        .info(new Info().title("quench").version("v1").description("Event-sourced task cancellation on Kafka: the "
            + "beatra task API under /v1 and the Scout rendering of the same tasks under /scout/v1."))
        .components(new Components().addSecuritySchemes("bearer",
            new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .description("Authorization: Bearer <API key>")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  @Bean
  OpenApiCustomizer documentedErrorResponses() {
    return openApi -> {
      ModelConverters.getInstance().read(ApiError.Body.class)
          .forEach((name, schema) -> openApi.getComponents().addSchemas(name, schema));
      Schema<?> body = new Schema<>().$ref("#/components/schemas/" + ApiError.Body.class.getSimpleName());
      openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
          ERRORS.forEach((status, description) -> operation.getResponses().putIfAbsent(status,
              new ApiResponse().description(description).content(new Content().addMediaType(
                  "application/json", new MediaType().schema(body)))))));
    };
  }
}
