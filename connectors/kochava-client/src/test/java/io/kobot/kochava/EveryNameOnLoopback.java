package io.kobot.kochava;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/** Any host name is 127.0.0.1, where the test servers listen: several hosts served by one server. */
final class EveryNameOnLoopback implements DnsResolver {
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
