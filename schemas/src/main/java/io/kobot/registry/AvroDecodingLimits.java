package io.kobot.registry;

import org.apache.avro.SystemLimitException;

/**
 * Bounds what a corrupt Avro record can make the decoder allocate. Avro reads a string, bytes or collection length
 * from the input and allocates it before it finds out that the input is shorter: one flipped byte can ask for a
 * gigabyte and kill the thread with an OutOfMemoryError instead of a SerializationException. Avro's own limits
 * default to the VM's array limit; these are far below it and far above any record this pipeline accepts (Kafka's
 * default record size limit is 1 MiB).
 *
 * <p>Avro reads the limits once, from system properties, when it first checks one; they are set here, early, unless
 * the operator set them already. {@link #install()} is called from the deserializer's static initialiser and from
 * the application's main method.
 */
public final class AvroDecodingLimits {
    static final String MAX_STRING_OR_BYTES = Integer.toString(16 * 1024 * 1024);
    static final String MAX_COLLECTION_ITEMS = Integer.toString(1_000_000);

    private AvroDecodingLimits() {}

    public static void install() {
        System.getProperties().putIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_OR_BYTES);
        System.getProperties().putIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_STRING_OR_BYTES);
        System.getProperties().putIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
    }
}
