package dev.quench.worker.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.quench.worker.spi.TaskFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schemas the built-ins announce say what their handlers take: an input the api lets in by the schema runs, and
 * one it refuses would have failed the handler, so no valid create fails later as {@code invalid_input}. (Numbers
 * beyond the range of a long, such as {@code 1e300}, are the api's to normalise before it validates: its tests cover
 * them.)
 */
class BuiltinInputSchemasTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  @ParameterizedTest
  @ValueSource(strings = {"{\"duration_ms\":0}", "{\"duration_ms\":30000}", "{\"duration_ms\":30000.0}",
      "{\"duration_ms\":86400000}", "{\"duration_ms\":3e4}", "{\"duration_ms\":\"abc\"}", "{\"duration_ms\":-5}",
      "{\"duration_ms\":1e18}", "{\"duration_ms\":1.5}", "{\"duration_ms\":86400001}", "{\"duration_ms\":null}",
      "{\"duration_ms\":99999999999999999999999}", "{}", "{\"duration_ms\":true}", "{\"duration_ms\":[1]}"})
  void sleepTakesExactlyTheInputsItsSchemaAllows(String input) {
    JsonNode node = JSON.readTree(input);
    boolean allowed = schema(new SleepHandler().inputSchema()).validate(node).isEmpty();
    boolean runs;
    try {
      SleepHandler.durationMs(node);
      runs = true;
    } catch (TaskFailure e) {
      runs = false;
    }
    assertThat(allowed).as(input).isEqualTo(runs);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"duration_ms\":1,\"extra\":true}"})
  void sleepRefusesMembersItDoesNotRead(String input) {
    assertThat(schema(new SleepHandler().inputSchema()).validate(JSON.readTree(input))).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"message\":\"m\",\"code\":\"c\",\"retryable\":true}"})
  void failTakesItsDocumentedMembers(String input) {
    assertThat(schema(new FailHandler().inputSchema()).validate(JSON.readTree(input))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"code\":5}", "{\"retryable\":\"yes\"}", "{\"code\":\"\"}", "{\"other\":1}"})
  void failRefusesWhatItWouldIgnore(String input) {
    assertThat(schema(new FailHandler().inputSchema()).validate(JSON.readTree(input))).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"a\":[1,{\"b\":null}]}", "{\"task\":\"x\",\"processor\":\"core\"}"})
  void echoTakesAnyObject(String input) {
    assertThat(schema(new EchoHandler().inputSchema()).validate(JSON.readTree(input))).isEmpty();
    assertThat(schema(new EchoHandler().inputSchema()).validate(JSON.readTree("[]"))).isNotEmpty();
  }

  private static Schema schema(JsonNode schema) {
    return SCHEMAS.getSchema(schema);
  }
}
