package io.kobot.streams.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Checks records built with Avro's all-args constructors, which are positional: two fields of the same type
 * given in the wrong order still compile. Every field is compared by name with the record it came from.
 */
public final class SchemaFieldsByName {
    private SchemaFieldsByName() {}

    /** Every field of {@code built} named in {@code source}'s schema, except those listed, equals the source's. */
    public static void assertCopiedByName(SpecificRecordBase source, SpecificRecordBase built, Set<String> except) {
        Set<String> compared = new TreeSet<>();
        for (Schema.Field field : built.getSchema().getFields()) {
            String name = field.name();
            if (except.contains(name) || source.getSchema().getField(name) == null) {
                continue;
            }
            assertThat(built.get(name)).as(name).isEqualTo(source.get(name));
            compared.add(name);
        }
        assertThat(compared).as("fields compared").isNotEmpty();
    }

    /** Field names of the record's schema, in order. */
    public static Set<String> names(SpecificRecordBase record) {
        Set<String> names = new TreeSet<>();
        record.getSchema().getFields().forEach(field -> names.add(field.name()));
        return names;
    }
}
