package io.kobot.connect.kochava;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The plugin's version, as Maven filtered it into the jar; Connect shows it in its plugin listing. */
final class Version {

    private static final String RESOURCE = "/kobot-kafka-connect-kochava.properties";
    private static final String VERSION = load();

    private Version() {}

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return "unknown";
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
