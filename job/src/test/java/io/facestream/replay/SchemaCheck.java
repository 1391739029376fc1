package io.facestream.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a JSON document against the subset of JSON Schema that {@code appearances.schema.json}
 * uses: type (one or a list), required, additionalProperties false, properties, items, enum, const,
 * minimum, maximum. No maintained JSON Schema library is on the classpath, so this reads the
 * published schema itself rather than restating its fields in the test.
 */
final class SchemaCheck {
    private SchemaCheck() {}

    /** Every violation, as "path: problem"; empty when the document conforms. */
    static List<String> violations(JsonNode schema, JsonNode doc) {
        List<String> out = new ArrayList<>();
        check(schema, doc, "$", out);
        return out;
    }

    private static void check(JsonNode s, JsonNode d, String path, List<String> out) {
        if (s.has("type") && !typeOk(s.get("type"), d)) {
            out.add(path + ": expected " + s.get("type") + ", got " + d.getNodeType());
            return;
        }
        if (s.has("const") && !s.get("const").equals(d)) {
            out.add(path + ": expected " + s.get("const") + ", got " + d);
        }
        if (s.has("enum")) {
            boolean any = false;
            for (JsonNode e : s.get("enum")) {
                any |= e.equals(d);
            }
            if (!any) {
                out.add(path + ": " + d + " not in " + s.get("enum"));
            }
        }
        if (d.isNumber() && s.has("minimum") && d.asDouble() < s.get("minimum").asDouble()) {
            out.add(path + ": " + d + " < minimum " + s.get("minimum"));
        }
        if (d.isNumber() && s.has("maximum") && d.asDouble() > s.get("maximum").asDouble()) {
            out.add(path + ": " + d + " > maximum " + s.get("maximum"));
        }
        if (d.isObject()) {
            for (JsonNode r : s.path("required")) {
                if (!d.has(r.asText())) {
                    out.add(path + ": missing required '" + r.asText() + "'");
                }
            }
            JsonNode props = s.path("properties");
            d.fieldNames()
                    .forEachRemaining(
                            f -> {
                                if (props.has(f)) {
                                    check(props.get(f), d.get(f), path + "." + f, out);
                                } else if (s.path("additionalProperties").isBoolean()
                                        && !s.get("additionalProperties").asBoolean()) {
                                    out.add(path + ": unexpected property '" + f + "'");
                                }
                            });
        }
        if (d.isArray() && s.has("items")) {
            for (int i = 0; i < d.size(); i++) {
                check(s.get("items"), d.get(i), path + "[" + i + "]", out);
            }
        }
    }

    private static boolean typeOk(JsonNode type, JsonNode d) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeOk(t, d)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> d.isObject();
            case "array" -> d.isArray();
            case "string" -> d.isTextual();
            case "integer" -> d.isIntegralNumber();
            case "number" -> d.isNumber();
            case "boolean" -> d.isBoolean();
            case "null" -> d.isNull();
            default -> throw new IllegalArgumentException("schema type not supported: " + type);
        };
    }
}
