package io.kobot.streams.ingest;

import io.kobot.kochava.PingHostAllowlist;
import io.kobot.schema.BotInteraction;
import io.kobot.schema.InteractionType;
import io.kobot.schema.deadletter.RejectionReason;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The contract's rules for a {@link BotInteraction}, the same for Avro and JSON input. Returns the interaction
 * normalised (canonical {@code event_data}, blank optional strings as null) or throws with the first rule broken.
 *
 * <p>{@code occurred_at} is compared with the record's own timestamp, not the wall clock, so a replay of the
 * same topic gives the same verdicts: dead letters stay deterministic under exactly-once reprocessing.
 */
public final class InteractionValidator {
    private final Duration maxFutureSkew;
    private final int maxEventDataBytes;
    private final InputSizeCheck sizes;
    private final PingHostAllowlist allowedHosts;

    public InteractionValidator(Duration maxFutureSkew, int maxEventDataBytes) {
        this(maxFutureSkew, maxEventDataBytes, InputLimits.DEFAULTS);
    }

    public InteractionValidator(Duration maxFutureSkew, int maxEventDataBytes, InputLimits limits) {
        this(maxFutureSkew, maxEventDataBytes, limits, PingHostAllowlist.of(PingHostAllowlist.KOCHAVA_HOSTS));
    }

    public InteractionValidator(Duration maxFutureSkew, int maxEventDataBytes, PingHostAllowlist allowedHosts) {
        this(maxFutureSkew, maxEventDataBytes, InputLimits.DEFAULTS, allowedHosts);
    }

    /** @param allowedHosts the hosts tracking URLs may name, the Kochava client's own list */
    public InteractionValidator(
            Duration maxFutureSkew, int maxEventDataBytes, InputLimits limits, PingHostAllowlist allowedHosts) {
        this.maxFutureSkew = maxFutureSkew;
        this.maxEventDataBytes = maxEventDataBytes;
        this.sizes = new InputSizeCheck(limits);
        this.allowedHosts = allowedHosts;
    }

    public BotInteraction validate(BotInteraction interaction, long recordTimestamp) throws InvalidRecordException {
        requireWithinSizeLimits(interaction);
        require(
                !isBlank(interaction.getInteractionId()),
                RejectionReason.MISSING_INTERACTION_ID,
                "interaction_id is missing");
        require(
                !isBlank(interaction.getKochavaAppId()),
                RejectionReason.MISSING_KOCHAVA_APP_ID,
                "kochava_app_id is missing");
        require(interaction.getOccurredAt() != null, RejectionReason.MISSING_OCCURRED_AT, "occurred_at is missing");

        InteractionType type = interaction.getType();
        if (type == InteractionType.EVENT) {
            require(
                    !isBlank(interaction.getFbUserId()),
                    RejectionReason.MISSING_FB_USER_ID,
                    "an EVENT needs fb_user_id");
            require(
                    !isBlank(interaction.getEventName()),
                    RejectionReason.MISSING_EVENT_NAME,
                    "an EVENT needs event_name");
        } else {
            requireTrackingUrl(interaction.getTrackingUrl(), type);
            // Checked here so that a ping to another host never reaches the outbox; the client checks it again.
            PingHostAllowlist.Verdict host = allowedHosts.check(interaction.getTrackingUrl());
            if (!host.allowed()) {
                throw new InvalidRecordException(
                        RejectionReason.TRACKING_HOST_NOT_ALLOWED,
                        "the " + type + "'s tracking_url is refused: " + host.reason());
            }
        }

        Instant latestAllowed = Instant.ofEpochMilli(recordTimestamp).plus(maxFutureSkew);
        if (interaction.getOccurredAt().isAfter(latestAllowed)) {
            throw new InvalidRecordException(
                    RejectionReason.OCCURRED_AT_IN_FUTURE,
                    "occurred_at is "
                            + Duration.between(Instant.ofEpochMilli(recordTimestamp), interaction.getOccurredAt())
                            + " after the record was published, more than the allowed " + maxFutureSkew);
        }

        // A new record rather than a builder copy: a builder validates and deep-copies every field again.
        return new BotInteraction(
                interaction.getInteractionId(),
                interaction.getKochavaAppId(),
                type,
                blankToNull(interaction.getFbUserId()),
                interaction.getOccurredAt(),
                blankToNull(interaction.getEventName()),
                EventData.canonical(
                        interaction.getEventData(),
                        maxEventDataBytes,
                        sizes.limits().maxEventDataDepth()),
                interaction.getTrackingUrl(),
                interaction.getDeviceIds(),
                blankToNull(interaction.getOriginationIp()),
                blankToNull(interaction.getUserAgent()));
    }

    /** First, so that no other rule reads an oversized value. */
    private void requireWithinSizeLimits(BotInteraction interaction) throws InvalidRecordException {
        sizes.checkInteraction(interaction);
    }

    private static void requireTrackingUrl(String url, InteractionType type) throws InvalidRecordException {
        if (isBlank(url)) {
            throw invalidTrackingUrl(type, "it is missing");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw invalidTrackingUrl(
                    type, "it is not a valid URI (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalidTrackingUrl(type, "its scheme is '" + scheme + "'");
        }
        // The host itself (IDN, IP literal, user info…) is the allowlist's to judge.
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw invalidTrackingUrl(type, "it has no host");
        }
    }

    /** Messages are built only for a record that breaks a rule, never on the path of every record. */
    private static InvalidRecordException invalidTrackingUrl(InteractionType type, String why) {
        return new InvalidRecordException(
                RejectionReason.INVALID_TRACKING_URL, "an " + type + " needs an absolute http(s) tracking_url; " + why);
    }

    private static void require(boolean condition, RejectionReason reason, String message)
            throws InvalidRecordException {
        if (!condition) {
            throw new InvalidRecordException(reason, message);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private static String blankToNull(String value) {
        return isBlank(value) ? null : value;
    }
}
