package io.kobot.partitioning;

/** Places keyed records as {@link JoinKeyPartitioner#FNV1A} (Sarama's and kafka-go's hash partitioners) does. */
public final class Fnv1aKeyPartitioner extends KeyFunctionPartitioner {
    public Fnv1aKeyPartitioner() {
        super(JoinKeyPartitioner.FNV1A);
    }
}
