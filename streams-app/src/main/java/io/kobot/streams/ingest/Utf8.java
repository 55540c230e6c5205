package io.kobot.streams.ingest;

/** UTF-8 lengths without encoding: the size limits are in bytes, as Kafka and Avro count them. */
public final class Utf8 {
    private Utf8() {}

    /** The UTF-8 length of {@code text}; 0 for null. */
    public static int length(CharSequence text) {
        if (text == null) {
            return 0;
        }
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
