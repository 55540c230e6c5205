package io.kobot.streams.ingest;

/**
 * How deep JSON text nests, found by one scan of its brackets outside strings, before any parser (or the
 * recursive tree code after it) sees the text. Malformed text is not judged here: the parser does that.
 */
final class JsonDepth {
    private JsonDepth() {}

    /** Whether UTF-8 JSON {@code bytes} nest objects and arrays deeper than {@code max}. */
    static boolean exceeds(byte[] bytes, int max) {
        return exceeds(
                new Chars() {
                    @Override
                    public int length() {
                        return bytes.length;
                    }

                    @Override
                    public char at(int i) {
                        return (char) (bytes[i] & 0xFF); // brackets, quotes and backslashes are ASCII in UTF-8
                    }
                },
                max);
    }

    /** Whether JSON {@code text} nests objects and arrays deeper than {@code max}. */
    static boolean exceeds(String text, int max) {
        return exceeds(
                new Chars() {
                    @Override
                    public int length() {
                        return text.length();
                    }

                    @Override
                    public char at(int i) {
                        return text.charAt(i);
                    }
                },
                max);
    }

    private interface Chars {
        int length();

        char at(int i);
    }

    private static boolean exceeds(Chars chars, int max) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.at(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > max) {
                    return true;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return false;
    }
}
