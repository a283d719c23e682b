package dev.quench.api.capabilities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class InputSchemaTests {

  private static final InputSchema SLEEP = InputSchema.compile(json("{\"type\":\"object\",\"required\":"
      + "[\"duration_ms\"],\"properties\":{\"duration_ms\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":86400000}},"
      + "\"additionalProperties\":false}"));

  @Test
  void anInputTheSchemaAllowsHasNoViolation() {
    assertThat(SLEEP.check(json("{\"duration_ms\":30000}"))).isNull();
    assertThat(SLEEP.check(json("{\"duration_ms\":30000.0}"))).isNull();
  }

  @Test
  void aViolationNamesTheMemberAtFault() {
    assertThat(SLEEP.check(json("{\"duration_ms\":\"abc\"}")).path()).isEqualTo("duration_ms");
    assertThat(SLEEP.check(json("{\"duration_ms\":-5}")).path()).isEqualTo("duration_ms");
    assertThat(SLEEP.check(json("{\"duration_ms\":1.5}")).path()).isEqualTo("duration_ms");
    assertThat(SLEEP.check(json("{}")).path()).isEqualTo("duration_ms");
    assertThat(SLEEP.check(json("{\"duration_ms\":1,\"extra\":2}")).path()).isEqualTo("extra");
    InputSchema nested = InputSchema.compile(json("{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\","
        + "\"items\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}}}"));
    assertThat(nested.check(json("{\"items\":[{\"n\":1},{\"n\":\"x\"}]}")).path()).isEqualTo("items[1].n");
  }

  @Test
  void aViolationSaysWhatIsWrongInWords() {
    assertThat(SLEEP.check(json("{\"duration_ms\":\"abc\"}")).message()).isEqualTo("string found, integer expected");
    assertThat(SLEEP.check(json("{\"duration_ms\":-5}")).message()).isEqualTo("must have a minimum value of 0");
    assertThat(SLEEP.check(json("{}")).message()).isEqualTo("required property 'duration_ms' not found");
    assertThat(SLEEP.check(json("{\"duration_ms\":\"abc\",\"extra\":2}")).message()).endsWith("(and 1 more)");
  }

  @Test
  void numbersBeyondALongAreComparedByValue() {
    assertThat(SLEEP.check(json("{\"duration_ms\":1e300}")).path()).isEqualTo("duration_ms");
    assertThat(SLEEP.check(json("{\"duration_ms\":-1e300}")).path()).isEqualTo("duration_ms");
    assertThat(SLEEP.check(json("{\"duration_ms\":99999999999999999999999}")).path()).isEqualTo("duration_ms");
    InputSchema anyNumber = InputSchema.compile(json("{\"properties\":{\"x\":{\"type\":\"number\","
        + "\"maximum\":10}}}"));
    assertThat(anyNumber.check(json("{\"x\":1e300}")).path()).isEqualTo("x");
    assertThat(anyNumber.check(json("{\"x\":-1e300}"))).isNull();
  }

  @Test
  void aNumberTooLargeForADoubleIsRefusedWhateverTheSchema() {
    InputSchema any = InputSchema.compile(json("{\"type\":\"object\"}"));
    assertThat(any.check(json("{\"a\":{\"b\":[1,1e400]}}")).path()).isEqualTo("a.b[1]");
  }

  @Test
  void aSchemaIsSelfContainedOrItDoesNotCompile() {
    assertThatThrownBy(() -> InputSchema.compile(json("{\"properties\":{\"a\":{\"$ref\":"
        + "\"http://127.0.0.1:9/elsewhere.json\"}}}"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InputSchema.compile(json("[]"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(InputSchema.compile(json("{\"$defs\":{\"n\":{\"type\":\"integer\"}},\"properties\":{\"a\":{\"$ref\":"
        + "\"#/$defs/n\"}}}")).check(json("{\"a\":\"x\"}")).path()).isEqualTo("a");
  }

  private static JsonNode json(String text) {
    return JsonMapper.shared().readTree(text);
  }
}
