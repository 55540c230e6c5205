package io.kobot.kochava;

import java.net.InetAddress;

/**
 * Which IP addresses are not on the public internet, so that no request reaches a machine of the network kobot
 * runs in through a hostile tracking URL or a DNS answer: unspecified, loopback, link-local (cloud metadata at
 * 169.254.169.254 included), private (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10, shared with
 * customers' networks), multicast, reserved (240/4, broadcast), IPv6 unique-local (fc00::/7) and site-local, and
 * IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) when the embedded
 * address is one of these.
 */
final class NonPublicAddresses {

    private NonPublicAddresses() {}

    /** Why {@code address} is not public, e.g. "loopback"; null when it is public. */
    static String classify(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 4 ? classifyV4(bytes, 0) : classifyV6(bytes);
    }

    private static String classifyV4(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xff;
        int b = bytes[offset + 1] & 0xff;
        if (a == 0) return "unspecified (0.0.0.0/8)";
        if (a == 127) return "loopback";
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) return "private";
        if (a == 169 && b == 254) return "link-local";
        if (a == 100 && (b & 0xc0) == 64) return "carrier-grade NAT (100.64.0.0/10)";
        if (a >= 224 && a <= 239) return "multicast";
        if (a >= 240) return "reserved or broadcast";
        return null;
    }

    private static String classifyV6(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        if (allZero(bytes, 0, 10)) {
            boolean mapped = (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
            if (mapped) return embedded("IPv4-mapped", bytes, 12);
            if (allZero(bytes, 10, 12)) {
                if (allZero(bytes, 12, 15) && bytes[15] == 0) return "unspecified (::)";
                if (allZero(bytes, 12, 15) && bytes[15] == 1) return "loopback (::1)";
                return embedded("IPv4-compatible", bytes, 12);
            }
        }
        if (first == 0xff) return "multicast";
        if (first == 0xfe && (second & 0xc0) == 0x80) return "link-local";
        if (first == 0xfe && (second & 0xc0) == 0xc0) return "site-local";
        if ((first & 0xfe) == 0xfc) return "unique-local (fc00::/7)";
        if (first == 0x00
                && second == 0x64
                && (bytes[2] & 0xff) == 0xff
                && (bytes[3] & 0xff) == 0x9b
                && allZero(bytes, 4, 12)) return embedded("NAT64", bytes, 12);
        if (first == 0x20 && second == 0x02) return embedded("6to4", bytes, 2);
        return null;
    }

    private static String embedded(String form, byte[] bytes, int offset) {
        String v4 = classifyV4(bytes, offset);
        return v4 == null ? null : form + " " + v4;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) return false;
        }
        return true;
    }
}
