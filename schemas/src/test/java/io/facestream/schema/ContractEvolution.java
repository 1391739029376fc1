package io.facestream.schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The compatibility rules of the published contracts, as a check of a schema against a released
 * copy of it: full compatibility in Avro's sense (records written with either version are read with
 * the other), and, said in the house's words, every field added since the release has a default. An
 * empty list means the change may ship; each entry says what breaks and where.
 */
final class ContractEvolution {
    private ContractEvolution() {}

    static List<String> problems(Schema released, Schema current) {
        List<String> out = new ArrayList<>();
        // Backward: a consumer upgraded to `current` reads what was written with the release.
        check(
                SchemaCompatibility.checkReaderWriterCompatibility(current, released),
                "a reader of this version cannot read records written with the released one",
                out);
        // Forward: a consumer still on the release reads what this version writes.
        check(
                SchemaCompatibility.checkReaderWriterCompatibility(released, current),
                "a reader of the released version cannot read records written with this one",
                out);
        addedFieldsWithoutDefault(released, current, new HashSet<>(), out);
        return out;
    }

    private static void check(SchemaPairCompatibility result, String what, List<String> out) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility i : result.getResult().getIncompatibilities()) {
            out.add(
                    what
                            + ": "
                            + i.getType()
                            + " at "
                            + i.getLocation()
                            + (i.getMessage() == null ? "" : " (" + i.getMessage() + ")"));
        }
    }

    /** The rule as written: each field of a record that the released record lacks has a default. */
    private static void addedFieldsWithoutDefault(
            Schema released, Schema current, Set<String> seen, List<String> out) {
        if (released == null || current == null) {
            return;
        }
        switch (current.getType()) {
            case RECORD -> {
                if (released.getType() != Schema.Type.RECORD || !seen.add(current.getFullName())) {
                    return;
                }
                for (Schema.Field f : current.getFields()) {
                    Schema.Field before = released.getField(f.name());
                    if (before == null) {
                        before =
                                f.aliases().stream()
                                        .map(released::getField)
                                        .findFirst()
                                        .orElse(null);
                    }
                    if (before == null && !f.hasDefaultValue()) {
                        out.add(
                                "field "
                                        + current.getFullName()
                                        + "."
                                        + f.name()
                                        + " was added without a default");
                    }
                    addedFieldsWithoutDefault(
                            before == null ? null : before.schema(), f.schema(), seen, out);
                }
            }
            case ARRAY ->
                    addedFieldsWithoutDefault(
                            released.getType() == Schema.Type.ARRAY
                                    ? released.getElementType()
                                    : null,
                            current.getElementType(),
                            seen,
                            out);
            case MAP ->
                    addedFieldsWithoutDefault(
                            released.getType() == Schema.Type.MAP ? released.getValueType() : null,
                            current.getValueType(),
                            seen,
                            out);
            case UNION -> {
                for (Schema branch : current.getTypes()) {
                    addedFieldsWithoutDefault(sameNamed(released, branch), branch, seen, out);
                }
            }
            default -> {}
        }
    }

    /** The released type a branch of a union evolved from: the same named type or the same kind. */
    private static Schema sameNamed(Schema released, Schema branch) {
        List<Schema> candidates =
                released.getType() == Schema.Type.UNION ? released.getTypes() : List.of(released);
        for (Schema c : candidates) {
            boolean named =
                    c.getType() == Schema.Type.RECORD
                            || c.getType() == Schema.Type.ENUM
                            || c.getType() == Schema.Type.FIXED;
            if (c.getType() == branch.getType()
                    && (!named || c.getFullName().equals(branch.getFullName()))) {
                return c;
            }
        }
        return null;
    }
}
