package io.kobot.streams.enrich;

import static io.kobot.streams.ingest.SchemaFieldsByName.assertCopiedByName;
import static io.kobot.streams.ingest.SchemaFieldsByName.names;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.BotInteraction;
import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.schema.InteractionType;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngagementsTest {
    /** Every field a different value, so that two fields swapped in the all-args constructor show. */
    private static final BotInteraction INTERACTION = BotInteraction.newBuilder()
            .setInteractionId("interaction-id-value")
            .setKochavaAppId("kochava-app-id-value")
            .setType(InteractionType.EVENT)
            .setFbUserId("fb-user-id-value")
            .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_123L))
            .setEventName("event-name-value")
            .setEventData("\"event-data-value\"")
            .setTrackingUrl("https://tracking-url.example/value")
            .setDeviceIds(Map.of("idfa", "bot-idfa-value"))
            .setOriginationIp("203.0.113.7")
            .setUserAgent("user-agent-value")
            .build();

    private static final Instant INGESTED_AT = Instant.ofEpochMilli(1_700_000_000_456L);

    @Test
    void everyFieldTheInteractionAlsoHasIsCopiedFromTheFieldOfTheSameName() {
        Engagement engagement = Engagements.of(INTERACTION, null, INGESTED_AT);

        assertCopiedByName(INTERACTION, engagement, Set.of("device_ids"));
        assertThat(engagement.getIngestedAt()).isEqualTo(INGESTED_AT);
        assertThat(engagement.getIdentityLinked()).isFalse();
        // A field added to either schema must be placed here, and in Engagements.of, on purpose.
        Set<String> onlyInEngagement = names(engagement);
        onlyInEngagement.removeAll(names(INTERACTION));
        assertThat(onlyInEngagement).containsExactlyInAnyOrder("identity_linked", "ingested_at");
        assertThat(names(INTERACTION)).isSubsetOf(names(engagement));
    }

    @Test
    void identifiersMergeTheLinksThenTheBotsThenFbUserId() {
        IdentityLink link = IdentityLink.newBuilder()
                .setKochavaAppId("kochava-app-id-value")
                .setFbUserId("fb-user-id-value")
                .setDeviceIds(Map.of("idfa", "link-idfa-value", "adid", "link-adid-value", "fb_user_id", "other"))
                .setUpdatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();

        Engagement engagement = Engagements.of(INTERACTION, link, INGESTED_AT);

        assertThat(engagement.getIdentityLinked()).isTrue();
        assertThat(engagement.getDeviceIds())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("idfa", "bot-idfa-value", "adid", "link-adid-value", "fb_user_id", "fb-user-id-value"));
    }
}
