package io.kobot.streams.deadletter;

import io.kobot.kochava.Pii;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Makes a library's exception text fit for a dead letter, which must carry no personal data: parsers and
 * serializers may quote the input they choke on (a user id, a device id, an IP, a user agent). Quoted text,
 * IPv4/IPv6-looking tokens and long digit runs (ids) are cut, and the record key (usually the fb_user_id) is
 * replaced by its mask. The pipeline's own messages never quote input; this is for texts it does not write.
 */
public final class DeadLetterMessages {
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'|`[^`]*`");
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b");
    private static final Pattern IPV6 = Pattern.compile("\\b[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{0,4}){2,7}\\b");
    private static final Pattern LONG_DIGITS = Pattern.compile("\\d{10,}");
    private static final String CUT = "…";
    /** Shorter keys would mask ordinary words of the message. */
    private static final int MIN_KEY_CHARS = 4;

    private DeadLetterMessages() {}

    /** {@code SimpleClassName: scrubbed message}. */
    public static String describe(Throwable exception, byte[] recordKey) {
        String message = exception.getMessage();
        return exception.getClass().getSimpleName() + (message == null ? "" : ": " + scrub(message, recordKey));
    }

    public static String scrub(String text, byte[] recordKey) {
        if (text == null) {
            return null;
        }
        String scrubbed = text;
        if (recordKey != null && recordKey.length >= MIN_KEY_CHARS) {
            scrubbed = Pii.scrub(scrubbed, List.of(new String(recordKey, StandardCharsets.UTF_8)));
        }
        scrubbed = QUOTED.matcher(scrubbed).replaceAll(CUT);
        scrubbed = IPV4.matcher(scrubbed).replaceAll(CUT);
        scrubbed = IPV6.matcher(scrubbed).replaceAll(CUT);
        return LONG_DIGITS.matcher(scrubbed).replaceAll(CUT);
    }
}
