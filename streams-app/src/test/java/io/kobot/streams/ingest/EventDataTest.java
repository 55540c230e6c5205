package io.kobot.streams.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kobot.schema.deadletter.RejectionReason;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EventData#canonical} copies JSON token by token; its text must be the one a JSON tree's {@code toString()}
 * gives (what earlier versions wrote to {@code bot.engagements} and sent to Kochava), and it must refuse what a
 * strict tree parse refuses.
 */
class EventDataTest {
    private static final int MAX_BYTES = 1 << 20;
    private static final int MAX_DEPTH = 32;

    /** The canonical form as earlier versions computed it: a strict tree, then its compact text. */
    private static final ObjectMapper TREE = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1}",
                " { \"a\" : [ 1 , 2.50 , -0.0 , 1e400 , -1E-400 , 1E2 , 0.1 , 123456789012345678901234567890 ] } ",
                "{\"n\":9007199254740993,\"m\":-9223372036854775809,\"f\":3.141592653589793238462643383279}",
                "{\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u0001 \u00e9\ud83d\ude00\"}",
                "[]",
                "{}",
                "[null,true,false,{},[[]],\"\"]",
                "42",
                "-1.5e10",
                "\"just text\"",
                "null",
                "{\"nested\":{\"deeper\":{\"deepest\":[{\"x\":\"y\"}]}}}",
                "\t\r\n{\"ws\"\t:\r\n1}\n"
            })
    void givesTheTextOfATreeParse(String text) throws Exception {
        assertThat(EventData.canonical(text, MAX_BYTES, MAX_DEPTH))
                .isEqualTo(TREE.readTree(text).toString());
    }

    @Test
    void givesTheTextOfATreeParseForRandomDocuments() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            String text = randomValue(random, 0);
            assertThat(EventData.canonical(text, MAX_BYTES, MAX_DEPTH))
                    .as(text)
                    .isEqualTo(TREE.readTree(text).toString());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"a\":1,\"a\":2}",
                "{\"a\":1}{\"b\":2}",
                "{\"a\":1} x",
                "[1,2",
                "{\"a\":}",
                "{'a':1}",
                "NaN",
                "01",
                "   "
            })
    void refusesWhatAStrictTreeParseRefuses(String text) {
        assertThat(treeRefuses(text)).isTrue();
        assertThatThrownBy(() -> EventData.canonical(text, MAX_BYTES, MAX_DEPTH))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_EVENT_DATA));
    }

    @Test
    void locatesTrailingTokensWhereTheyStartAndNeverQuotesTheData() {
        assertThatThrownBy(() -> EventData.canonical("{\"secret\":1} secret", MAX_BYTES, MAX_DEPTH))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessage("event_data is not valid JSON text (malformed at line 1, column 14)");
    }

    @Test
    void boundsSizeAndDepthBeforeParsing() throws Exception {
        assertThatThrownBy(() -> EventData.canonical("[" + "1,".repeat(100) + "1]", 100, MAX_DEPTH))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.EVENT_DATA_TOO_LARGE));
        assertThatThrownBy(() -> EventData.canonical("[".repeat(33) + "]".repeat(33), MAX_BYTES, MAX_DEPTH))
                .isInstanceOfSatisfying(
                        InvalidRecordException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.EVENT_DATA_TOO_DEEP));
        assertThat(EventData.canonical(null, MAX_BYTES, MAX_DEPTH)).isNull();
    }

    private static boolean treeRefuses(String text) {
        try {
            JsonNode tree = TREE.readTree(text);
            return tree == null || tree.isMissingNode();
        } catch (JsonProcessingException e) {
            return true;
        }
    }

    private static String randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        switch (kind) {
            case 0:
                return "null";
            case 1:
                return random.nextBoolean() ? "true" : "false";
            case 2:
                return Long.toString(random.nextLong() >> random.nextInt(64));
            case 3:
                return List.of("0.5", "-2.25e-3", "1E+21", "6.02214076e23", "1.0", "100.000", "-0.0", "4.9e-324")
                        .get(random.nextInt(8));
            case 4:
                return Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
            case 5:
                return randomString(random);
            case 6: {
                StringBuilder array = new StringBuilder("[ ");
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.append(randomValue(random, depth + 1)).append(i > 1 ? " ,\n" : "");
                }
                return array.append(']').toString();
            }
            default: {
                StringBuilder object = new StringBuilder("{");
                int fields = random.nextInt(4);
                for (int i = 0; i < fields; i++) {
                    object.append("\"k")
                            .append(i)
                            .append("\" : ")
                            .append(randomValue(random, depth + 1))
                            .append(i < fields - 1 ? "," : "");
                }
                return object.append('}').toString();
            }
        }
    }

    private static String randomString(Random random) {
        String[] pieces = {
            "a", "Z", " ", "\\n", "\\u00e9", "\u00e9", "\\\"", "\\\\", "\ud83d\ude00", "\\u0007", "/", "\\/"
        };
        StringBuilder text = new StringBuilder("\"x");
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.append('"').toString();
    }
}
