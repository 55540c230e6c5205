package io.kobot.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;

/**
 * A component's configuration reference, generated from its {@link ConfigDef} declarations: a Markdown table (key,
 * type, default, environment variable, meaning) followed by notes, kept in a Markdown page between two markers.
 * A {@code config-reference} command prints it or rewrites the page with it ({@link #printOrUpdate}), and a test
 * checks the page agrees ({@link #section} equals {@link #markdown}).
 */
public final class ConfigReference {
    /** A placeholder in a key name, e.g. {@code <page-id>} in {@code messenger.page.<page-id>.forward}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("<[^>]*>");

    private final String startMarker;
    private final String endMarker;
    private final List<KeyGroup> groups;
    private final String notes;

    /** Keys declared by {@code definition}, written with {@code namePrefix} in front of their names. */
    private record KeyGroup(String namePrefix, ConfigDef definition) {}

    private ConfigReference(String startMarker, String endMarker, List<KeyGroup> groups, String notes) {
        this.startMarker = startMarker;
        this.endMarker = endMarker;
        this.groups = List.copyOf(groups);
        this.notes = notes;
    }

    /** A reference kept between {@code startMarker} and {@code endMarker} (HTML comments, one a line). */
    public static Builder between(String startMarker, String endMarker) {
        return new Builder(startMarker, endMarker);
    }

    /** The generated section, markers excluded. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| key | type | default | environment variable | meaning |\n");
        out.append("| --- | --- | --- | --- | --- |\n");
        for (KeyGroup group : groups) {
            for (ConfigDef.ConfigKey key : group.definition().configKeys().values()) {
                row(out, group.namePrefix() + key.name, key);
            }
        }
        out.append('\n').append(notes).append('\n');
        return out.toString();
    }

    private static void row(StringBuilder out, String name, ConfigDef.ConfigKey key) {
        String defaultText = ConfigDefs.describeDefault(key);
        out.append("| `")
                .append(name)
                .append("` | ")
                .append(ConfigDefs.describeType(key))
                .append(" | ")
                .append(defaultText.startsWith("(") ? defaultText : "`" + defaultText + "`")
                .append(" | `")
                .append(envName(name))
                .append("` | ")
                .append(key.documentation.replace("|", "\\|"))
                .append(" |\n");
    }

    /**
     * The environment variable that sets {@code name} ({@link RawConfiguration#envNameOf}); a placeholder stays
     * readable as one word, {@code <page-id>} as {@code <PAGE_ID>} rather than {@code <PAGE__ID>}.
     */
    static String envName(String name) {
        Matcher placeholder = PLACEHOLDER.matcher(RawConfiguration.envNameOf(name));
        return placeholder.replaceAll(
                match -> Matcher.quoteReplacement(match.group().replace("__", "_")));
    }

    /** {@code document} with its section between the markers replaced by {@link #markdown()}. */
    public String update(String document) {
        int start = startOfSection(document);
        return document.substring(0, start) + "\n" + markdown() + document.substring(document.indexOf(endMarker));
    }

    /** The section currently between the markers of {@code document}, as {@link #update} would write it. */
    public String section(String document) {
        return document.substring(startOfSection(document) + 1, document.indexOf(endMarker));
    }

    /** Where the section starts: just after the start marker. */
    private int startOfSection(String document) {
        int start = document.indexOf(startMarker);
        int end = document.indexOf(endMarker);
        if (start < 0 || end < start + startMarker.length() + 1) {
            throw new IllegalArgumentException("the document has no " + startMarker + " … " + endMarker + " section");
        }
        return start + startMarker.length();
    }

    /** Rewrites the section of the Markdown page {@code file}. */
    public void updateFile(Path file) throws IOException {
        Files.writeString(file, update(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** What a {@code config-reference} command does: prints the section, or with a page rewrites it and says so. */
    public void printOrUpdate(Path page, PrintWriter out) throws IOException {
        if (page == null) {
            out.print(markdown());
        } else {
            updateFile(page);
            out.println("Updated the configuration reference in " + page);
        }
        out.flush();
    }

    public String startMarker() {
        return startMarker;
    }

    public String endMarker() {
        return endMarker;
    }

    /** Which declarations the reference lists, in order, and the notes under the table. */
    public static final class Builder {
        private final String startMarker;
        private final String endMarker;
        private final List<KeyGroup> groups = new ArrayList<>();

        private Builder(String startMarker, String endMarker) {
            this.startMarker = Objects.requireNonNull(startMarker, "startMarker");
            this.endMarker = Objects.requireNonNull(endMarker, "endMarker");
        }

        /** Every key of {@code definition}, under its own name. */
        public Builder keys(ConfigDef definition) {
            return keys("", definition);
        }

        /** Every key of {@code definition}, named {@code namePrefix} + its name (e.g. {@code messenger.page.<id>.}). */
        public Builder keys(String namePrefix, ConfigDef definition) {
            groups.add(new KeyGroup(namePrefix, definition));
            return this;
        }

        /** The reference, with {@code notes} (Markdown, one paragraph or more) under the table. */
        public ConfigReference withNotes(String notes) {
            return new ConfigReference(startMarker, endMarker, groups, Objects.requireNonNull(notes, "notes"));
        }
    }
}
