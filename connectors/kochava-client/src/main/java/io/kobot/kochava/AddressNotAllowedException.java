package io.kobot.kochava;

import java.net.UnknownHostException;

/**
 * A host name resolved to, or a URL named, an address that is not public while
 * {@code kochava.allow-private-addresses} is false: no connection was made. Retrying cannot help.
 * An {@link UnknownHostException} because that is what a {@code DnsResolver} may throw.
 */
public final class AddressNotAllowedException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    AddressNotAllowedException(String host, String addressClass) {
        super(host + " is a " + addressClass + " address, refused (" + KochavaClientConfig.ALLOW_PRIVATE_ADDRESSES
                + " is false)");
    }
}
