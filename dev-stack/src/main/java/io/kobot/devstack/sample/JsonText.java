package io.kobot.devstack.sample;

/** Just enough JSON writing for the samples: string escaping. */
final class JsonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonText() {}

    /** Appends {@code text} as a JSON string, quotes included. */
    static StringBuilder quote(StringBuilder json, String text) {
        json.append('"');
        if (plain(text)) {
            return json.append(text).append('"');
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }

    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** Appends {@code ,"name":"value"}. */
    static StringBuilder member(StringBuilder json, String name, String value) {
        json.append(",\"").append(name).append("\":");
        return quote(json, value);
    }
}
