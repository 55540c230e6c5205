package io.kobot.connect.kochava;

import io.kobot.registry.SchemaRegistryException;
import io.kobot.registry.SchemaRegistryUnavailableException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Runs a registry serde call and turns its failures into Connect's: an unreachable registry into a
 * {@link RetriableException} (Connect retries), a registry that refuses us into a {@link ConnectException} (the task
 * fails: no record is skipped for an operator's problem), a bad record into a {@link DataException} (errors.tolerance
 * and the DLQ govern).
 */
final class RegistryFailures {
    private RegistryFailures() {}

    /** @param recordFailure what a bad record failed to do, e.g. {@code Cannot read an Engagement from topic t} */
    static <T> T translated(Supplier<T> call, String recordFailure) {
        try {
            return call.get();
        } catch (SchemaRegistryUnavailableException e) {
            throw new RetriableException("Schema registry unavailable: " + e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            throw new ConnectException("Schema registry refused us: " + e.getMessage(), e);
        } catch (SerializationException e) {
            throw new DataException(recordFailure + ": " + e.getMessage(), e);
        }
    }
}
