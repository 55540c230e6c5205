package io.kobot.registry;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NegativeAnswerCacheTest {
    private final AtomicLong now = new AtomicLong(1_000);

    @Test
    void anAnswerIsRememberedForItsTtlThenForgotten() {
        NegativeAnswerCache cache = new NegativeAnswerCache(60_000, 10, now::get);
        cache.remember(7, () -> new UnknownSchemaIdException(7, "unknown 7"));

        now.addAndGet(59_999);
        assertThatThrownBy(() -> cache.throwIfKnownBad(7))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessage("unknown 7");
        now.addAndGet(1);
        assertThatCode(() -> cache.throwIfKnownBad(7)).doesNotThrowAnyException();
    }

    @Test
    void theLeastRecentlyUsedIdGoesFirstWhenFull() {
        NegativeAnswerCache cache = new NegativeAnswerCache(60_000, 2, now::get);
        cache.remember(1, () -> new UnsupportedSchemaException(1, "one"));
        cache.remember(2, () -> new UnsupportedSchemaException(2, "two"));
        assertThatThrownBy(() -> cache.throwIfKnownBad(1)).isInstanceOf(UnsupportedSchemaException.class);
        cache.remember(3, () -> new UnsupportedSchemaException(3, "three"));

        assertThatCode(() -> cache.throwIfKnownBad(2)).doesNotThrowAnyException();
        assertThatThrownBy(() -> cache.throwIfKnownBad(1)).isInstanceOf(UnsupportedSchemaException.class);
        assertThatThrownBy(() -> cache.throwIfKnownBad(3)).isInstanceOf(UnsupportedSchemaException.class);
    }

    @Test
    void aZeroTtlRemembersNothing() {
        NegativeAnswerCache cache = new NegativeAnswerCache(0, 10, now::get);
        cache.remember(7, () -> new UnknownSchemaIdException(7, "unknown 7"));

        assertThatCode(() -> cache.throwIfKnownBad(7)).doesNotThrowAnyException();
    }

    @Test
    void eachRecordGetsItsOwnException() {
        NegativeAnswerCache cache = new NegativeAnswerCache(60_000, 10, now::get);
        RuntimeException first = cache.remember(7, () -> new UnknownSchemaIdException(7, "unknown 7"));

        assertThatThrownBy(() -> cache.throwIfKnownBad(7)).isNotSameAs(first);
    }
}
