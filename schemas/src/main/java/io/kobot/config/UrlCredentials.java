package io.kobot.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks credentials inside URLs wherever a URL is printed or logged: the user info of {@code scheme://user:pass@host}
 * and the values of query parameters named like a credential ({@code token}, {@code api_key}, {@code secret},
 * {@code password}, {@code sig}, ...). Works on any text, so lists of URLs and messages that quote one are covered.
 */
public final class UrlCredentials {
    public static final String MASK = "[hidden]";

    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@\\s,'\"]+@");
    private static final Pattern SECRET_PARAMETER = Pattern.compile(
            "([?&;][^=&#\\s,'\"]*(?:token|key|secret|passw|pwd|passphrase|sig|auth|credential|session)[^=&#\\s,'\"]*=)"
                    + "[^&#\\s,'\"]*",
            Pattern.CASE_INSENSITIVE);

    private UrlCredentials() {}

    /** {@code text} with every URL's user info and credential-like query values replaced by {@value #MASK}. */
    public static String mask(String text) {
        if (text == null || !text.contains("://") && text.indexOf('?') < 0) {
            return text;
        }
        String masked =
                USER_INFO.matcher(text).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + MASK + "@"));
        return SECRET_PARAMETER.matcher(masked).replaceAll(match -> Matcher.quoteReplacement(match.group(1) + MASK));
    }
}
