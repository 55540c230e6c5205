package io.kobot.streams.config;

import java.util.regex.Pattern;

/** Which configuration keys hold secrets; their values are never printed, only {@link #MASK}. */
public final class Secrets {
    public static final String MASK = "[hidden]";

    private static final Pattern SECRET_KEY =
            Pattern.compile("password|secret|user\\.info|sasl\\.jaas\\.config|token|key$", Pattern.CASE_INSENSITIVE);

    private Secrets() {}

    public static boolean isSecret(String key) {
        return SECRET_KEY.matcher(key).find();
    }

    /** The value as it may be printed. */
    public static String printable(String key, String value) {
        return value == null || !isSecret(key) ? value : MASK;
    }
}
