package io.kobot.registry;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), then the Avro binary
 * encoding of the record.
 */
public final class AvroWireFormat {

    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private AvroWireFormat() {}

    /**
     * Whether {@code bytes} start with the magic byte: enough to tell wire-format Avro from JSON, which never starts
     * with a 0 byte. Says nothing about the rest being valid.
     */
    public static boolean hasMagicByte(byte[] bytes) {
        return bytes != null && bytes.length > 0 && bytes[0] == MAGIC_BYTE;
    }

    /** The schema id in the header of {@code bytes}; throws {@link InvalidWireFormatException} if there is no valid header. */
    public static int schemaId(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_SIZE) {
            throw new InvalidWireFormatException(
                    "Not a Confluent wire-format Avro record: " + (bytes == null ? "null" : bytes.length)
                            + " byte(s), fewer than the " + HEADER_SIZE + "-byte header (magic byte 0 + schema id); "
                            + "check that the producer uses an Avro Schema Registry serializer");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new InvalidWireFormatException(
                    "Not a Confluent wire-format Avro record: first byte is " + (bytes[0] & 0xff)
                            + ", expected magic byte " + MAGIC_BYTE
                            + "; check that the producer uses an Avro Schema Registry serializer "
                            + "(JSON or plain Avro bytes are not accepted here)");
        }
        return ((bytes[1] & 0xff) << 24) | ((bytes[2] & 0xff) << 16) | ((bytes[3] & 0xff) << 8) | (bytes[4] & 0xff);
    }

    /** The header for {@code schemaId}. */
    static byte[] header(int schemaId) {
        return new byte[] {
            MAGIC_BYTE, (byte) (schemaId >>> 24), (byte) (schemaId >>> 16), (byte) (schemaId >>> 8), (byte) schemaId
        };
    }
}
