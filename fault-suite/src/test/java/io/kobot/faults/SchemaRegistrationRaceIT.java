package io.kobot.faults;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.kobot.registry.SpecificAvroSerde;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.InteractionType;
import io.kobot.testing.ApicurioRegistry;
import io.kobot.testing.RealInfrastructureExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reproduces a loss found by the rebalance scenario: two instances starting together both registered the
 * Engagement schema under a new subject; Apicurio answered the loser of that race 409 ("artifact already
 * exists"), the serializer failed, and the processing exception handler dead-lettered a valid interaction as
 * PROCESSING_ERROR, so it never reached Kochava. Several clients (one per instance) registering the same schema
 * under a new subject at once must all get its id.
 */
@ExtendWith(RealInfrastructureExtension.class)
class SchemaRegistrationRaceIT {
    private static final int INSTANCES = 8;
    private static final int SUBJECTS = 5;

    @Test
    void concurrentFirstRegistrationsOfOneSchemaAllSucceed(ApicurioRegistry registry) {
        BotInteraction interaction = BotInteraction.newBuilder()
                .setInteractionId("race")
                .setKochavaAppId("kobot-faults")
                .setType(InteractionType.EVENT)
                .setFbUserId("user-race")
                .setOccurredAt(Instant.now())
                .setEventName("Purchase")
                .setDeviceIds(new HashMap<>())
                .build();
        // Not the common pool: on two cores it has one thread, and there would be no race.
        ExecutorService threads = Executors.newFixedThreadPool(INSTANCES);
        try {
            raceRegistrations(registry, interaction, threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private static void raceRegistrations(
            ApicurioRegistry registry, BotInteraction interaction, ExecutorService threads) {
        for (int subject = 0; subject < SUBJECTS; subject++) {
            String topic = "faults-race-" + UUID.randomUUID();
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<byte[]>> serialized = new ArrayList<>();
            for (int instance = 0; instance < INSTANCES; instance++) {
                serialized.add(CompletableFuture.supplyAsync(
                        () -> {
                            try (SpecificAvroSerde<BotInteraction> serde = SpecificAvroSerde.of(
                                    BotInteraction.class,
                                    Map.of("schema.registry.url", registry.confluentApiUrl()),
                                    false)) {
                                await(start);
                                return serde.serializer().serialize(topic, interaction);
                            }
                        },
                        threads));
            }
            start.countDown();
            serialized.forEach(future -> assertThatCode(future::join).doesNotThrowAnyException());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
