package io.kobot.kochava;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Adds a query parameter to a tracking URL, leaving the rest of the URL (query, fragment) as it was. */
final class PingUrl {

    private PingUrl() {}

    /**
     * {@code url} with {@code name=value} appended to its query, unless the query already has a parameter
     * {@code name} (whatever its value: the URL's author decided). The fragment stays last.
     */
    static String withParam(String url, String name, String value) {
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String base = hash < 0 ? url : url.substring(0, hash);
        int question = base.indexOf('?');
        String param = encode(name) + "=" + encode(value);
        if (question < 0) return base + "?" + param + fragment;
        String query = base.substring(question + 1);
        if (hasParam(query, name)) return url;
        String separator = query.isEmpty() || query.endsWith("&") ? "" : "&";
        return base + separator + param + fragment;
    }

    static boolean hasParam(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            if (decode(rawName).equals(name)) return true;
        }
        return false;
    }

    /** Percent-encoding for a query component: like form encoding, but a space is %20, which every server reads. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A malformed escape cannot spell the name we look for.
            return text;
        }
    }
}
