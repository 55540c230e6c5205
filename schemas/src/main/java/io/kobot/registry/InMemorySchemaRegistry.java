package io.kobot.registry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for mock://scope: ids from 1 upward, one id per distinct schema text across all
 * subjects (as Confluent assigns them), no compatibility checks. Shared by every client of a scope, so it outlives
 * {@link #close()}; {@link SchemaRegistryClients#dropMockScope(String)} forgets it.
 */
final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final String scope;
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Set<Integer>> idsBySubject = new HashMap<>();

    InMemorySchemaRegistry(String scope) {
        this.scope = scope;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        if (id == null) {
            id = schemasById.size() + 1;
            idsBySchemaText.put(schema.toString(), id);
            schemasById.put(id, schema);
        }
        idsBySubject.computeIfAbsent(subject, s -> new HashSet<>()).add(id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        if (id == null || !idsBySubject.getOrDefault(subject, Set.of()).contains(id)) {
            throw new SchemaRegistryException(
                    "Schema " + schema.getFullName() + " is not registered under subject " + subject + " in mock://"
                            + scope + "; register it first or set auto.register.schemas=true",
                    404,
                    40403);
        }
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new UnknownSchemaIdException(
                    id,
                    "Schema id " + id + " is not registered in mock://" + scope
                            + "; check that producer and consumer use the same mock scope");
        }
        return schema;
    }

    @Override
    public void close() {
        // The registry belongs to its scope, not to one client.
    }
}
