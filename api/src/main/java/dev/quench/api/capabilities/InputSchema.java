package dev.quench.api.capabilities;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.quench.events.capabilities.CapabilityAnnouncement;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema (draft 2020-12) a capability's input must satisfy, compiled once when it is announced. Nothing is
 * fetched for it: a schema refers only to its own parts ({@code #/$defs/...}), or it does not compile.
 */
public final class InputSchema {

  /** What is wrong with an input: the member at fault, relative to the input ({@code ""} for the input itself). */
  public record Violation(String path, String message) {
  }

  private static final Logger log = LoggerFactory.getLogger(InputSchema.class);
  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
      builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().preloadSchema(true).build()));
  private static final double LONG_RANGE = 0x1p63;

  private final Schema schema;
  private final JsonNode source;

  private InputSchema(Schema schema, JsonNode source) {
    this.schema = schema;
    this.source = source;
  }

  /** @throws IllegalArgumentException if {@code schema} is no usable JSON Schema */
  public static InputSchema compile(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      throw new IllegalArgumentException("an input schema is a JSON object, not " + schema);
    }
    List<String> external = CapabilityAnnouncement.externalReferences(schema);
    if (!external.isEmpty()) {
      throw new IllegalArgumentException("the schema refers to documents outside itself: " + external);
    }
    try {
      Schema compiled = REGISTRY.getSchema(schema);
      compiled.validate(JsonNodeFactory.instance.objectNode());
      return new InputSchema(compiled, schema);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The schema as announced. */
  public JsonNode source() {
    return source;
  }

  /** The first thing wrong with {@code input}, or null if it satisfies the schema. */
  public Violation check(JsonNode input) {
    Prepared prepared = prepare(input);
    if (prepared.violation() != null) {
      return prepared.violation();
    }
    List<Error> errors;
    try {
      errors = schema.validate(prepared.input());
    } catch (RuntimeException e) {
      // The validator's own limit (a value it cannot compare, say): the input is not shown to be valid, so it stays out.
      log.warn("an input could not be checked against its schema", e);
      return new Violation("", "the input could not be checked against the capability's schema");
    }
    if (errors.isEmpty()) {
      return null;
    }
    Error first = errors.get(0);
    String path = path(first.getInstanceLocation());
    String property = first.getProperty();
    if (property != null && ("required".equals(first.getKeyword()) || "additionalProperties".equals(first.getKeyword())
        || "dependentRequired".equals(first.getKeyword()) || "unevaluatedProperties".equals(first.getKeyword()))) {
      path = path.isEmpty() ? property : path + "." + property;
    }
    String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
    return new Violation(path, first.getMessage() + more);
  }

  private record Prepared(JsonNode input, Violation violation) {
  }

  /**
   * A copy of the input as the validator reads it right: a finite number beyond the range of a long is integral (a
   * double that large has no fraction), so it becomes an exact big integer, which the validator compares by value; a
   * number too large for a double at all ({@code 1e400}) cannot be carried exactly and is refused.
   */
  private static Prepared prepare(JsonNode input) {
    record Frame(JsonNode node, String path) {
    }
    ArrayDeque<Frame> todo = new ArrayDeque<>();
    todo.push(new Frame(input, ""));
    boolean changed = false;
    while (!todo.isEmpty()) {
      Frame frame = todo.pop();
      JsonNode node = frame.node();
      if (node.isFloatingPointNumber() && (!Double.isFinite(node.doubleValue())
          || Math.abs(node.doubleValue()) >= LONG_RANGE)) {
        if (!Double.isFinite(node.doubleValue())) {
          return new Prepared(input, new Violation(frame.path(), "number too large to be carried exactly"));
        }
        changed = true;
      } else if (node.isObject()) {
        for (Map.Entry<String, JsonNode> member : node.properties()) {
          todo.push(new Frame(member.getValue(), frame.path().isEmpty() ? member.getKey()
              : frame.path() + "." + member.getKey()));
        }
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          todo.push(new Frame(node.get(i), frame.path() + "[" + i + "]"));
        }
      }
    }
    return new Prepared(changed ? exact(input) : input, null);
  }

  private static JsonNode exact(JsonNode node) {
    if (node.isFloatingPointNumber() && Math.abs(node.doubleValue()) >= LONG_RANGE) {
      return JsonNodeFactory.instance.numberNode(BigDecimal.valueOf(node.doubleValue()).toBigIntegerExact());
    }
    if (node.isObject()) {
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      node.properties().forEach(member -> copy.set(member.getKey(), exact(member.getValue())));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      node.values().forEach(item -> copy.add(exact(item)));
      return copy;
    }
    return node;
  }

  /** {@code a.b[2].c} from the validator's location of the node. */
  private static String path(NodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append(path.isEmpty() ? "" : ".").append(element);
      }
    }
    return path.toString();
  }
}
