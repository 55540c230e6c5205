package io.kobot.kochava;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The resolver the HTTP client connects through: it refuses a host that resolves to any non-public address (see
 * {@link NonPublicAddresses}), unless private addresses are allowed. The addresses it returns are the ones the
 * client connects to, so a DNS answer that changes between a check and the connection cannot slip through. IP
 * literals come through here too (the client passes them as host names), and are checked the same way.
 */
final class GuardedDnsResolver implements DnsResolver {

    private final DnsResolver delegate;
    private final boolean allowPrivate;

    GuardedDnsResolver(DnsResolver delegate, boolean allowPrivate) {
        this.delegate = delegate;
        this.allowPrivate = allowPrivate;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = delegate.resolve(host);
        if (addresses == null || addresses.length == 0) throw new UnknownHostException(host);
        if (!allowPrivate) {
            // One bad address refuses the name: a name that mixes public and private addresses is not Kochava's.
            for (InetAddress address : addresses) {
                String addressClass = NonPublicAddresses.classify(address);
                if (addressClass != null) throw new AddressNotAllowedException(host, addressClass);
            }
        }
        return addresses;
    }

    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> result = new ArrayList<>();
        for (InetAddress address : resolve(host)) result.add(new InetSocketAddress(address, port));
        return result;
    }

    @Override
    public String resolveCanonicalHostname(String host) throws UnknownHostException {
        return delegate.resolveCanonicalHostname(host);
    }
}
