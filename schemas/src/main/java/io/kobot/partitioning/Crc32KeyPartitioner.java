package io.kobot.partitioning;

/** Places keyed records as {@link JoinKeyPartitioner#CRC32} (librdkafka's default) does. */
public final class Crc32KeyPartitioner extends KeyFunctionPartitioner {
    public Crc32KeyPartitioner() {
        super(JoinKeyPartitioner.CRC32);
    }
}
