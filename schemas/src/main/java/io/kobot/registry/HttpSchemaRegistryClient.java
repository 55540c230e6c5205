package io.kobot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;

/**
 * A caching client of a Confluent-compatible Schema Registry (Confluent, Apicurio's ccompat API, ...). Ids and
 * schemas never change once assigned, so the caches never expire. Concurrent misses may ask twice: the requests are
 * idempotent (a registration that loses a race to create the subject is answered by a lookup), and no lock is held
 * across IO.
 */
final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private record SubjectSchema(String subject, Schema schema) {}

    /** Bad ids remembered at most: a flood of distinct bad ids costs requests, never unbounded memory. */
    private static final int MAX_NEGATIVE_ANSWERS = 10_000;

    private final RegistryHttpTransport transport;
    private final ConcurrentMap<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final NegativeAnswerCache negativeAnswers;

    HttpSchemaRegistryClient(RegistryHttpTransport transport, long negativeCacheTtlMs) {
        this.transport = transport;
        this.negativeAnswers =
                new NegativeAnswerCache(negativeCacheTtlMs, MAX_NEGATIVE_ANSWERS, System::currentTimeMillis);
    }

    @Override
    public int register(String subject, Schema schema) {
        return idOf(subject, schema, true);
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return idOf(subject, schema, false);
    }

    private int idOf(String subject, Schema schema, boolean register) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, String> body = Map.of("schema", schema.toString());
        RegistryHttpTransport.Response response;
        String action;
        if (register) {
            action = "registering schema " + schema.getFullName() + " under subject " + subject;
            response = transport.post(action, body, "subjects", subject, "versions");
        } else {
            action = "looking up schema " + schema.getFullName() + " under subject " + subject;
            response = transport.post(action, body, "subjects", subject);
        }
        if (register && response.status() == 409) {
            // Apicurio answers 409 to the loser of two first registrations racing under a new subject, although
            // the schema is then registered: ask for its id before calling the schema incompatible.
            RegistryHttpTransport.Response existing = transport.post(action, body, "subjects", subject);
            if (existing.isSuccess()) {
                response = existing;
            }
        }
        if (!response.isSuccess()) {
            String hint = !register && response.status() == 404
                    ? "the schema is not registered under this subject: register it, or set "
                            + SchemaRegistryConfig.AUTO_REGISTER_SCHEMAS_CONFIG + "=true"
                    : hint(response.status());
            throw rejected(action, response, hint);
        }
        int id = readId(action, response.body());
        idsBySubjectSchema.putIfAbsent(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /**
     * The schema of {@code id}. What the answer means decides what the caller does with the record:
     * {@link UnknownSchemaIdException} (404) and {@link UnsupportedSchemaException} (not Avro, unparseable, any
     * other 4xx but 401/403) are the record's fault, and are remembered for a while (see
     * {@link NegativeAnswerCache}); {@link SchemaRegistryException} (401/403, or an answer that is no registry's)
     * is the operator's, and {@link SchemaRegistryUnavailableException} (IO errors, timeouts, 429, 5xx) an
     * outage: neither is remembered.
     */
    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        negativeAnswers.throwIfKnownBad(id);
        String action = "fetching schema id " + id;
        RegistryHttpTransport.Response response = transport.get(action, "schemas", "ids", Integer.toString(id));
        if (response.status() == 404) {
            String message = "Schema id " + id
                    + " is unknown to the registry (HTTP 404, error_code " + response.errorCode() + "): the record was "
                    + "written against another registry, or the schema was deleted; check that producer and consumer "
                    + "use the same " + SchemaRegistryConfig.URL_CONFIG;
            throw negativeAnswers.remember(id, () -> new UnknownSchemaIdException(id, message));
        }
        if (isRefusalOfTheId(response.status())) {
            String message = "Schema Registry refused " + action + ": HTTP " + response.status()
                    + (response.errorCode() >= 0 ? " error_code " + response.errorCode() : "")
                    + "; the record carries an id this registry cannot serve";
            throw negativeAnswers.remember(id, () -> new UnsupportedSchemaException(id, message));
        }
        if (!response.isSuccess()) {
            throw rejected(action, response, hint(response.status()));
        }
        JsonNode type = response.body().path("schemaType");
        if (!type.isMissingNode() && !type.isNull() && !"AVRO".equals(type.asText())) {
            String message = "Schema id " + id + " is a " + type.asText()
                    + " schema, not Avro: the record was not written by an Avro serializer";
            throw negativeAnswers.remember(id, () -> new UnsupportedSchemaException(id, message));
        }
        String text = response.body().path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException(
                    "The registry's answer to " + action + " has no \"schema\" field; check that "
                            + SchemaRegistryConfig.URL_CONFIG + " points at a Confluent-compatible API",
                    response.status(),
                    -1);
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(text);
        } catch (RuntimeException e) {
            // SchemaParseException mostly, but Avro also throws others (e.g. AvroTypeException) for odd text.
            String message = "Schema id " + id + " from the registry is not a valid Avro schema: " + e.getMessage();
            throw negativeAnswers.remember(id, () -> new UnsupportedSchemaException(id, message, e));
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /**
     * A final 4xx about the id itself. 401/403 are the operator's credentials and 404 has its own exception; 429
     * never gets here (the transport retries it as an outage).
     */
    private static boolean isRefusalOfTheId(int status) {
        return status >= 400 && status < 500 && status != 401 && status != 403 && status != 404 && status != 429;
    }

    private static int readId(String action, JsonNode body) {
        JsonNode id = body.path("id");
        if (!id.canConvertToInt()) {
            throw new SchemaRegistryException(
                    "The registry's answer to " + action + " has no integer \"id\"; check that "
                            + SchemaRegistryConfig.URL_CONFIG + " points at a Confluent-compatible API",
                    200,
                    -1);
        }
        return id.intValue();
    }

    private static SchemaRegistryException rejected(
            String action, RegistryHttpTransport.Response response, String hint) {
        return new SchemaRegistryException(
                "Schema Registry rejected " + action + ": HTTP " + response.status()
                        + (response.errorCode() >= 0 ? " error_code " + response.errorCode() : "")
                        + (response.message().isEmpty() ? "" : " (" + response.message() + ")") + "; " + hint,
                response.status(),
                response.errorCode());
    }

    private static String hint(int status) {
        switch (status) {
            case 401:
            case 403:
                return "check " + SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG + " and "
                        + SchemaRegistryConfig.BASIC_AUTH_USER_INFO_CONFIG + " and the user's rights";
            case 409:
                return "the schema is not compatible with the versions already under this subject; "
                        + "check the change against the subject's compatibility level";
            case 422:
                return "the registry considers the schema invalid";
            default:
                return "check that " + SchemaRegistryConfig.URL_CONFIG
                        + " is the Confluent-compatible API base (for Apicurio: http://host:port/apis/ccompat/v7)";
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}
