package io.kobot.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class SerializedOnceTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final Serializer<StringBuilder> counting = (topic, value) -> {
        calls.incrementAndGet();
        return (topic + ":" + value).getBytes(StandardCharsets.UTF_8);
    };
    private final SerializedOnce<StringBuilder> once = new SerializedOnce<>(counting);

    @Test
    void theSameObjectForTheSameTopicOnTheSameThreadIsSerializedOnce() {
        StringBuilder engagement = new StringBuilder("e1");

        byte[] written = once.serialize("bot.engagements", new RecordHeaders(), engagement);
        byte[] outboxed = once.serialize("bot.engagements", engagement);

        assertThat(outboxed).isSameAs(written);
        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo("bot.engagements:e1");
        assertThat(calls).hasValue(1);
    }

    @Test
    void anotherObjectAnotherTopicOrAnotherThreadIsSerializedAgain() throws Exception {
        StringBuilder engagement = new StringBuilder("e1");
        once.serialize("bot.engagements", engagement);

        once.serialize("bot.engagements", new StringBuilder("e1"));
        once.serialize("other", engagement);
        byte[] elsewhere = CompletableFuture.supplyAsync(() -> once.serialize("other", engagement))
                .get();

        assertThat(new String(elsewhere, StandardCharsets.UTF_8)).isEqualTo("other:e1");
        assertThat(calls).hasValue(4);
    }

    @Test
    void onlyTheLastValueIsRemembered() {
        StringBuilder first = new StringBuilder("e1");
        StringBuilder second = new StringBuilder("e2");

        once.serialize("bot.engagements", first);
        once.serialize("bot.engagements", second);
        once.serialize("bot.engagements", first);

        assertThat(calls).hasValue(3);
    }
}
