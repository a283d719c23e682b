package dev.quench.api;

import static dev.quench.api.RawHttp.utf8;
import static dev.quench.api.RawHttp.visible;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16BE;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * The JSON every hostile-input run throws at the api: any value a few levels deep, wrongly typed members, and
 * valid documents corrupted byte by byte into malformed ones.
 */
final class HostileJson {

  private HostileJson() {
  }

  /** JSON text of any string: ASCII only, everything else escaped, lone surrogates included. */
  static String jsonString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Member names: the usual suspects, odd ones, and random ones. */
  static Arbitrary<String> fieldNames() {
    return fieldNames("capability", "input", "model", "metadata", "reason", "CAPABILITY", "capability ",
        "metadata.k");
  }

  /** Member names: these (the fields of the body at hand), odd ones, and random ones. */
  static Arbitrary<String> fieldNames(String... known) {
    return Arbitraries.oneOf(Arbitraries.of(known), Arbitraries.of("", "__proto__", "@type", "$ref"),
        Arbitraries.strings().alpha().ofMaxLength(10));
  }

  static Arbitrary<String> jsonScalars() {
    return Arbitraries.oneOf(
        Arbitraries.of("null", "true", "false", "0", "-0", "1", "-1", "0.5", "1e400", "-1e400", "1e-400", "1E+2",
            "123456789012345678901234567890", "-9223372036854775809", "9223372036854775808",
            "3.14159265358979323846264338327950288", "\"\"", "\" \"", "{}", "[]", "\"echo\"", "\"sleep\"",
            "\"fail\"", "\"null\"", "\"\\u0000\""),
        Arbitraries.integers().map(String::valueOf),
        Arbitraries.doubles().map(String::valueOf),
        Arbitraries.strings().ofMaxLength(30).map(HostileJson::jsonString),
        // Longer than Jackson's number length limit, and shorter.
        Arbitraries.integers().between(1, 3000).map(n -> "9".repeat(n)));
  }

  /** Any JSON value, a few levels deep. */
  static Arbitrary<String> jsonValues() {
    return Arbitraries.recursive(HostileJson::jsonScalars,
        inner -> Arbitraries.oneOf(jsonScalars(),
            inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]"),
            Combinators.combine(fieldNames(), inner).as((k, v) -> jsonString(k) + ":" + v).list().ofMaxSize(4)
                .map(members -> "{" + String.join(",", members) + "}")),
        0, 3);
  }

  /** An object of these members, empty or null ones left out. */
  static String object(List<String> members) {
    return "{" + String.join(",", members.stream().filter(m -> m != null && !m.isEmpty()).toList()) + "}";
  }

  /** {@code "name":value}, for {@link #object}. */
  static String member(String name, String value) {
    return value == null ? "" : jsonString(name) + ":" + value;
  }

  /** A body as bytes on the wire (one char, one byte) with how it was made, for shrinking and reading. */
  record Body(String source, String corruption, String wire) {
    byte[] bytes() {
      return wire.getBytes(ISO_8859_1);
    }

    @Override
    public String toString() {
      return corruption + " of " + visible(source) + " = " + visible(wire);
    }
  }

  /** {@code documents} (valid JSON) broken in one of many ways: cut, spliced with noise, re-encoded, relaxed... */
  static Arbitrary<Body> corrupted(Arbitrary<String> documents) {
    Arbitrary<String> kinds = Arbitraries.of("truncate", "insert", "delete", "replace", "append", "prepend", "twice",
        "bom", "utf-16", "single quotes", "unquoted keys", "trailing comma", "comment", "empty", "whitespace",
        "nan", "control chars raw", "escape broken");
    Arbitrary<Double> at = Arbitraries.doubles().between(0, 1);
    Arbitrary<String> noise = Arbitraries.strings().withChars("{}[]\":,\\'/*\u0000\u001f\u007f\u0080\u00ff tnu09eE+-.")
        .ofMinLength(1).ofMaxLength(8);
    return Combinators.combine(documents, kinds, at, noise).as((doc, kind, where, junk) -> {
      String bytes = utf8(doc);
      int i = (int) Math.round(where * bytes.length());
      String wire = switch (kind) {
        case "truncate" -> bytes.substring(0, Math.min(i, Math.max(0, bytes.length() - 1)));
        case "insert" -> bytes.substring(0, i) + junk + bytes.substring(i);
        case "delete" -> bytes.substring(0, i) + bytes.substring(Math.min(bytes.length(), i + junk.length()));
        case "replace" -> bytes.substring(0, i) + junk + bytes.substring(Math.min(bytes.length(), i + 1));
        case "append" -> bytes + junk;
        case "prepend" -> junk + bytes;
        case "twice" -> bytes + bytes;
        case "bom" -> "\u00ef\u00bb\u00bf" + bytes;
        case "utf-16" -> new String(doc.getBytes(UTF_16BE), ISO_8859_1);
        case "single quotes" -> bytes.replace('"', '\'');
        case "unquoted keys" -> bytes.replaceAll("\"(\\w+)\":", "$1:");
        case "trailing comma" -> bytes.replaceAll("([}\\]])$", ",$1");
        case "comment" -> "/* " + junk + " */" + bytes;
        case "empty" -> "";
        case "whitespace" -> " \t\r\n ".repeat(junk.length());
        case "nan" -> bytes.replaceFirst("\\d+", "NaN");
        case "control chars raw" -> bytes.replaceFirst("\"", "\"\u0001\u0000\u001b");
        default -> bytes.replaceFirst("\"", "\"\\\\x");
      };
      return new Body(doc, kind + "@" + i + (kind.matches("insert|replace|append|prepend|comment|delete")
          ? " " + visible(junk) : ""), wire);
    });
  }
}
