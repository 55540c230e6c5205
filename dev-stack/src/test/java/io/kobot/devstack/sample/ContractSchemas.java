package io.kobot.devstack.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.avro.Schema;

/** The contract's schemas, read from the schemas module's sources (this module cannot depend on it). */
final class ContractSchemas {
    private static final Path AVRO = Path.of("..", "schemas", "src", "main", "avro");
    static final Schema INTERACTION;
    static final Schema LINK;

    static {
        try {
            Schema.Parser parser = new Schema.Parser();
            parser.parse(AVRO.resolve("InteractionType.avsc").toFile());
            INTERACTION = parser.parse(AVRO.resolve("BotInteraction.avsc").toFile());
            LINK = parser.parse(AVRO.resolve("IdentityLink.avsc").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ContractSchemas() {}

    /** An encoder whose registry gives id 7 to interactions and 8 to links. */
    static WireEncoder encoder() {
        return new WireEncoder(INTERACTION, LINK, (subject, schema) -> schema == INTERACTION ? 7 : 8);
    }
}
