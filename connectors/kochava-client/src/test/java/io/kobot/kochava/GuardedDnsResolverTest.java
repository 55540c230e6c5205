package io.kobot.kochava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GuardedDnsResolverTest {

    private final GuardedDnsResolver guarded = new GuardedDnsResolver(SystemDefaultDnsResolver.INSTANCE, false);

    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, unspecified",
        "0.1.2.3, unspecified",
        "127.0.0.1, loopback",
        "127.255.0.9, loopback",
        "10.0.0.1, private",
        "172.16.0.1, private",
        "172.31.255.254, private",
        "192.168.1.1, private",
        "169.254.169.254, link-local",
        "100.64.0.1, carrier-grade NAT",
        "100.127.255.255, carrier-grade NAT",
        "224.0.0.1, multicast",
        "239.255.255.250, multicast",
        "255.255.255.255, reserved or broadcast",
        "::, unspecified",
        "::1, loopback",
        "fe80::1, link-local",
        "fc00::1, unique-local",
        "fd12:3456::1, unique-local",
        "ff02::1, multicast",
        "fec0::1, site-local"
    })
    void refusesEveryNonPublicClass(String literal, String expectedClass) {
        assertThat(NonPublicAddresses.classify(address(literal))).startsWith(expectedClass);
        assertThatThrownBy(() -> guarded.resolve(literal))
                .isInstanceOf(AddressNotAllowedException.class)
                .hasMessageContaining(expectedClass);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "172.15.255.255",
                "172.32.0.1",
                "100.63.255.255",
                "100.128.0.1",
                "169.253.0.1",
                "192.167.1.1",
                "223.255.255.255",
                "2001:4860:4860::8888",
                "2a00:1450::1"
            })
    void publicAddressesPass(String literal) throws UnknownHostException {
        assertThat(NonPublicAddresses.classify(address(literal))).isNull();
        assertThat(guarded.resolve(literal)).containsExactly(address(literal));
        assertThat(guarded.resolve(literal, 443)).containsExactly(new InetSocketAddress(address(literal), 443));
    }

    @ParameterizedTest
    @CsvSource({
        "00000000000000000000ffff7f000001, IPv4-mapped loopback",
        "00000000000000000000ffffa9fea9fe, IPv4-mapped link-local",
        "00000000000000000000ffff0a000001, IPv4-mapped private",
        "0000000000000000000000000a000001, IPv4-compatible private",
        "0000000000000000000000007f000001, IPv4-compatible loopback",
        "0064ff9b0000000000000000c0a80001, NAT64 private",
        "2002c0a8000100000000000000000001, 6to4 private"
    })
    void ipv6FormsEmbeddingANonPublicIpv4AddressAreRefused(String hex, String expectedClass) throws Exception {
        // Built as Inet6Address: InetAddress.getByName would turn a mapped address into an Inet4Address first.
        byte[] bytes = HexFormat.of().parseHex(hex.substring(0, 32));
        InetAddress address = Inet6Address.getByAddress(null, bytes, null);
        assertThat(address).isInstanceOf(Inet6Address.class);

        assertThat(NonPublicAddresses.classify(address)).isEqualTo(expectedClass);
        DnsResolver answering = resolverAnswering(address);
        assertThatThrownBy(() -> new GuardedDnsResolver(answering, false).resolve("sneaky.example"))
                .isInstanceOf(AddressNotAllowedException.class)
                .hasMessageContaining(expectedClass);
    }

    @Test
    void ipv6FormsEmbeddingAPublicIpv4AddressPass() throws Exception {
        byte[] mapped = HexFormat.of().parseHex("00000000000000000000ffff08080808");
        assertThat(NonPublicAddresses.classify(Inet6Address.getByAddress(null, mapped, null)))
                .isNull();
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefused() {
        DnsResolver rebinding = resolverAnswering(address("8.8.8.8"), address("127.0.0.1"));

        assertThatThrownBy(() -> new GuardedDnsResolver(rebinding, false).resolve("control.kochava.com", 443))
                .isInstanceOf(AddressNotAllowedException.class)
                .hasMessage("control.kochava.com is a loopback address, refused "
                        + "(kochava.allow-private-addresses is false)");
    }

    @Test
    void privateAddressesPassWhenAllowed() throws UnknownHostException {
        GuardedDnsResolver permissive = new GuardedDnsResolver(resolverAnswering(address("127.0.0.1")), true);

        assertThat(permissive.resolve("stand-in.test", 8080))
                .containsExactly(new InetSocketAddress(address("127.0.0.1"), 8080));
    }

    @Test
    void anEmptyAnswerIsAnUnknownHost() {
        assertThatThrownBy(() -> new GuardedDnsResolver(resolverAnswering(), false).resolve("nothing.test"))
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(AddressNotAllowedException.class);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static DnsResolver resolverAnswering(InetAddress... addresses) {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) {
                return List.of(addresses).toArray(new InetAddress[0]);
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
    }
}
