package io.kobot.messenger.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifyTokenTest {
    private final VerifyToken token = new VerifyToken("meatball-sandwich-42");

    @Test
    void echoesTheChallengeForSubscribeWithTheRightToken() {
        assertThat(token.challenge("subscribe", "meatball-sandwich-42", "1158201444"))
                .isEqualTo("1158201444");
    }

    @Test
    void refusesAWrongOrMissingToken() {
        assertThat(token.challenge("subscribe", "meatball-sandwich-43", "1")).isNull();
        assertThat(token.challenge("subscribe", "meatball-sandwich-4", "1")).isNull();
        assertThat(token.challenge("subscribe", "", "1")).isNull();
        assertThat(token.challenge("subscribe", null, "1")).isNull();
    }

    @Test
    void refusesAnotherModeOrNoChallenge() {
        assertThat(token.challenge("unsubscribe", "meatball-sandwich-42", "1")).isNull();
        assertThat(token.challenge(null, "meatball-sandwich-42", "1")).isNull();
        assertThat(token.challenge("subscribe", "meatball-sandwich-42", null)).isNull();
        assertThat(token.challenge("subscribe", "meatball-sandwich-42", "x".repeat(513)))
                .isNull();
    }
}
