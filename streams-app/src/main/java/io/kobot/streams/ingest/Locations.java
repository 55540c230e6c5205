package io.kobot.streams.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Describes where JSON parsing failed without quoting the input, which may hold personal data. */
final class Locations {
    private Locations() {}

    static String describe(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        if (location == null) {
            return "malformed";
        }
        return "malformed at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
