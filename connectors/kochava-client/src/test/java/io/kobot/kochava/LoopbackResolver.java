package io.kobot.kochava;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/** localhost is a test server's 127.0.0.1 (the servers do not listen on ::1); any other name is unknown. */
final class LoopbackResolver implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        if (!host.equals("localhost")) throw new UnknownHostException(host);
        return new InetAddress[] {InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1})};
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
