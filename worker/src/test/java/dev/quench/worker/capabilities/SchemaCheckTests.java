package dev.quench.worker.capabilities;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SchemaCheckTests {

  private final SchemaCheck check = new SchemaCheck();

  @Test
  void aSchemaOfAnObjectIsAnnounced() {
    assertThatCode(() -> check.requireValid("ok", json("{\"type\":\"object\",\"properties\":{\"n\":"
        + "{\"type\":\"integer\",\"minimum\":0}},\"required\":[\"n\"]}"))).doesNotThrowAnyException();
    assertThatCode(() -> check.requireValid("any", json("{}"))).doesNotThrowAnyException();
  }

  @Test
  void aSchemaThatIsNoJsonSchemaStopsTheStartNamingTheCapability() {
    assertThatThrownBy(() -> check.requireValid("bad", json("{\"type\":\"object\",\"required\":\"n\"}")))
        .hasMessageContaining("capability 'bad'").hasMessageContaining("not a valid JSON Schema");
    assertThatThrownBy(() -> check.requireValid("bad", json("true")))
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void aSchemaReferringToAnotherDocumentStopsTheStart() {
    assertThatThrownBy(() -> check.requireValid("remote", json("{\"properties\":{\"a\":{\"$ref\":"
        + "\"https://example.org/a.json\"}}}"))).hasMessageContaining("outside itself");
  }

  @Test
  void anInputIsAlwaysAnObject() {
    assertThatThrownBy(() -> check.requireValid("list", json("{\"type\":\"array\"}")))
        .hasMessageContaining("must describe an object");
  }

  private static JsonNode json(String text) {
    return JsonMapper.shared().readTree(text);
  }
}
