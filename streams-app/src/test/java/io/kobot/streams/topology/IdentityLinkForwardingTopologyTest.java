package io.kobot.streams.topology;

import static io.kobot.streams.topology.Interactions.link;
import static org.assertj.core.api.Assertions.assertThat;

import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;
import io.kobot.streams.replay.ReplayMarker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which IdentityLink updates the topology hands the sink to forward: new and changed links only, in the real
 * topology with a sink that forwards and writes what it is given to a topic.
 */
class IdentityLinkForwardingTopologyTest {
    private static final String FORWARDED = "links-forwarded";
    private static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");

    private TopologyFixture fixture = new TopologyFixture(TopologySettings.DEFAULTS, new ForwardingSink());
    private final TestOutputTopic<byte[], byte[]> forwarded =
            fixture.driver.createOutputTopic(FORWARDED, new ByteArrayDeserializer(), new ByteArrayDeserializer());

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void aNewLinkIsForwardedAndAnUnchangedReplayIsNot() {
        IdentityLink first = link("u-1", T0, Map.of("adid", "A-1", "idfa", "I-1"));
        fixture.pipeLink(first, T0);
        fixture.pipeLink(first, T0.plusSeconds(1));
        // Same identifiers and app, a later time: nothing Kochava does not know.
        fixture.pipeLink(link("u-1", T0.plusSeconds(10), Map.of("idfa", "I-1", "adid", "A-1")), T0.plusSeconds(2));

        assertThat(forwarded()).containsExactly(first);
    }

    @Test
    void aChangedDeviceIdOrAppIsForwarded() {
        IdentityLink first = link("u-1", T0, Map.of("adid", "A-1"));
        IdentityLink newDevice = link("u-1", T0.plusSeconds(10), Map.of("adid", "A-2"));
        IdentityLink otherApp = IdentityLink.newBuilder(newDevice)
                .setUpdatedAt(T0.plusSeconds(20))
                .setKochavaAppId("other-app")
                .build();
        fixture.pipeLink(first, T0);
        fixture.pipeLink(newDevice, T0.plusSeconds(1));
        fixture.pipeLink(otherApp, T0.plusSeconds(2));

        assertThat(forwarded()).containsExactly(first, newDevice, otherApp);
    }

    @Test
    void anOlderUpdateIsNeitherAppliedNorForwarded() {
        IdentityLink latest = link("u-1", T0.plusSeconds(10), Map.of("adid", "new"));
        fixture.pipeLink(latest, T0);
        fixture.pipeLink(link("u-1", T0, Map.of("adid", "old")), T0.plusSeconds(1));

        assertThat(forwarded()).containsExactly(latest);
        assertThat(fixture.metrics.count(io.kobot.streams.metrics.PipelineMetrics.LINK_STALE_IGNORED))
                .isEqualTo(1);
    }

    @Test
    void aTombstoneForwardsNothingAndALinkCreatedAgainIsNew() {
        IdentityLink first = link("u-1", T0, Map.of("adid", "A-1"));
        fixture.pipeLink(first, T0);
        fixture.pipeLinkRaw("u-1", null, T0.plusSeconds(1));
        assertThat(forwarded()).containsExactly(first);

        IdentityLink again = link("u-1", T0.plusSeconds(5), Map.of("adid", "A-1"));
        fixture.pipeLink(again, T0.plusSeconds(2));
        assertThat(forwarded()).containsExactly(again);
    }

    @Test
    void aReplayedDeadLetterIsForwardedAgainEvenUnchanged() {
        IdentityLink first = link("u-1", T0, Map.of("adid", "A-1"));
        fixture.pipeLink(first, T0);
        Headers replay = new RecordHeaders();
        ReplayMarker.mark(replay, "dlq/0/7", 1);
        fixture.driver
                .createInputTopic(fixture.topics.identityLinks(), new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(
                        "u-1".getBytes(StandardCharsets.UTF_8), fixture.avro(first), replay, T0.plusSeconds(1)));

        assertThat(forwarded()).containsExactly(first, first);
    }

    @Test
    void usersAreTrackedApart() {
        IdentityLink one = link("u-1", T0, Map.of("adid", "same"));
        IdentityLink two = link("u-2", T0, Map.of("adid", "same"));
        fixture.pipeLink(one, T0);
        fixture.pipeLink(two, T0);

        assertThat(forwarded()).containsExactly(one, two);
    }

    @Test
    void aSinkThatDoesNotForwardIsHandedNothing() {
        fixture.close();
        fixture = new TopologyFixture(TopologySettings.DEFAULTS, new ForwardingSink(false));
        TestOutputTopic<byte[], byte[]> off =
                fixture.driver.createOutputTopic(FORWARDED, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        fixture.pipeLink(link("u-1", T0, Map.of("adid", "A-1")), T0);

        assertThat(off.readRecordsToList()).isEmpty();
    }

    private List<IdentityLink> forwarded() {
        return forwarded.readRecordsToList().stream()
                .map(record -> fixture.serdes.identityLink().deserializer().deserialize(FORWARDED, record.value()))
                .toList();
    }

    /** Writes the links it is given to forward to a topic. */
    private static final class ForwardingSink implements EngagementSink {
        private final boolean forwarding;

        ForwardingSink() {
            this(true);
        }

        ForwardingSink(boolean forwarding) {
            this.forwarding = forwarding;
        }

        @Override
        public void attach(StreamsBuilder builder, KStream<byte[], Engagement> engagements, PipelineSerdes serdes) {}

        @Override
        public void attach(
                StreamsBuilder builder,
                KStream<byte[], Engagement> engagements,
                KStream<byte[], IdentityLink> linksToForward,
                PipelineSerdes serdes) {
            linksToForward.to(FORWARDED, Produced.with(Serdes.ByteArray(), serdes.identityLink()));
        }

        @Override
        public boolean forwardsIdentityLinks() {
            return forwarding;
        }
    }
}
