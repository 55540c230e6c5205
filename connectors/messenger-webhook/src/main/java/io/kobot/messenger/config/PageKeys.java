package io.kobot.messenger.config;

import io.kobot.config.Described;
import io.kobot.config.Validators;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The keys of one page, declared once: each is written {@code messenger.page.<page-id>.<key>}, e.g.
 * {@code messenger.page.104729384756.kochava-app-id}. The pages are those that have keys.
 */
public final class PageKeys {
    public static final String PREFIX = "messenger.page.";

    public static final String KOCHAVA_APP_ID = "kochava-app-id";
    public static final String IMPRESSION_URL = "impression-url";
    public static final String CLICK_URL = "click-url";
    public static final String FORWARD = "forward";
    public static final String INCLUDE_MESSAGE_CONTENT = "include-message-content";

    static final String DEFAULT_FORWARD = "impressions,clicks,messages,quick-replies,postbacks";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    KOCHAVA_APP_ID,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyStringWithoutControlChars(),
                    Importance.HIGH,
                    "The Kochava app that stands for this page's bot (kochava_app_id of every record).")
            .define(
                    IMPRESSION_URL,
                    Type.STRING,
                    null,
                    Validators.httpUrl(),
                    Importance.HIGH,
                    "The impression tracking URL configured in Kochava; required when the page forwards impressions.")
            .define(
                    CLICK_URL,
                    Type.STRING,
                    null,
                    Validators.httpUrl(),
                    Importance.HIGH,
                    "The click tracking (SmartLink) URL configured in Kochava; required when the page forwards clicks.")
            .define(
                    FORWARD,
                    Type.LIST,
                    DEFAULT_FORWARD,
                    new ForwardKinds(),
                    Importance.MEDIUM,
                    "What the page forwards: impressions (deliveries), clicks (referrals), messages, quick-replies, "
                            + "postbacks, reads, standby (items of the standby channel); anything else is counted "
                            + "and ignored.")
            .define(
                    INCLUDE_MESSAGE_CONTENT,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Whether event_data carries the message text and attachments (personal data); off, it carries "
                            + "only their presence and types.");

    private PageKeys() {}

    /** Each entry one of the {@link ForwardKind} names. */
    private static final class ForwardKinds implements ConfigDef.Validator, Described {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null) {
                return;
            }
            for (Object entry : (List<?>) value) {
                try {
                    ForwardKind.fromConfigName(entry.toString());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("must be a list of " + choices() + ", got '" + entry + "'");
                }
            }
        }

        private static String choices() {
            return Arrays.stream(ForwardKind.values())
                    .map(ForwardKind::configName)
                    .collect(Collectors.joining(", "));
        }

        @Override
        public String describe(Type type) {
            return "list of " + choices();
        }

        @Override
        public String toString() {
            return choices();
        }
    }
}
