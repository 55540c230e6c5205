package io.kobot.registry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Creates the {@link SchemaRegistryClient} a {@link SchemaRegistryConfig} asks for. */
public final class SchemaRegistryClients {

    // Process-wide, like Confluent's mock registry: a producer and a consumer configured with the same
    // mock://scope see the same ids without sharing a client instance.
    private static final ConcurrentMap<String, InMemorySchemaRegistry> MOCK_SCOPES = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {}

    /**
     * mock://scope gives the in-memory registry of that scope (created on first use); anything else a caching HTTP
     * client with its own connection pool, which the caller closes.
     */
    public static SchemaRegistryClient create(SchemaRegistryConfig config) {
        return config.mockScope()
                .<SchemaRegistryClient>map(scope -> MOCK_SCOPES.computeIfAbsent(scope, InMemorySchemaRegistry::new))
                .orElseGet(() ->
                        new HttpSchemaRegistryClient(new RegistryHttpTransport(config), config.negativeCacheTtlMs()));
    }

    /** Forgets the in-memory registry of {@code scope}, so the next test starts from id 1. */
    public static void dropMockScope(String scope) {
        MOCK_SCOPES.remove(scope);
    }
}
