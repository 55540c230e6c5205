package io.kobot.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AvroWireFormatTest {

    @Test
    void readsTheBigEndianSchemaId() {
        assertThat(AvroWireFormat.schemaId(new byte[] {0, 0x01, 0x02, 0x03, 0x04, 9}))
                .isEqualTo(0x01020304);
        assertThat(AvroWireFormat.schemaId(AvroWireFormat.header(Integer.MAX_VALUE)))
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(AvroWireFormat.schemaId(AvroWireFormat.header(257))).isEqualTo(257);
    }

    @Test
    void tellsAvroFromJson() {
        assertThat(AvroWireFormat.hasMagicByte(AvroWireFormat.header(1))).isTrue();
        assertThat(AvroWireFormat.hasMagicByte("{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
        assertThat(AvroWireFormat.hasMagicByte(new byte[0])).isFalse();
        assertThat(AvroWireFormat.hasMagicByte(null)).isFalse();
    }

    @Test
    void rejectsAWrongMagicByte() {
        assertThatThrownBy(() -> AvroWireFormat.schemaId(new byte[] {1, 0, 0, 0, 1}))
                .isInstanceOf(InvalidWireFormatException.class)
                .hasMessageContaining("first byte is 1, expected magic byte 0");
    }

    @Test
    void rejectsInputShorterThanTheHeader() {
        assertThatThrownBy(() -> AvroWireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOf(InvalidWireFormatException.class)
                .hasMessageContaining("3 byte(s), fewer than the 5-byte header");
    }
}
