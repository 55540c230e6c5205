package io.kobot.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlCredentialsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://user:pass@host/track/json|https://[hidden]@host/track/json",
                "https://token@control.kochava.com:8443/x|https://[hidden]@control.kochava.com:8443/x",
                "http://a:b@h1:1,http://c:d@h2:2|http://[hidden]@h1:1,http://[hidden]@h2:2",
                "https://h/track?app=1&api_key=abc123&x=2|https://h/track?app=1&api_key=[hidden]&x=2",
                "https://h/p?access_token=t0k3n#frag|https://h/p?access_token=[hidden]#frag",
                "https://h/p?Password=p&Secret=s&sig=9|https://h/p?Password=[hidden]&Secret=[hidden]&sig=[hidden]",
                "must be an absolute URL, got 'ftp://u:p@h/?token=z'|must be an absolute URL, got 'ftp://[hidden]@h/?token=[hidden]'",
                "https://control.kochava.com/track/json|https://control.kochava.com/track/json",
                "https://h/p?app=kobot&creative=greeting|https://h/p?app=kobot&creative=greeting",
                "broker-1:9092,broker-2:9092|broker-1:9092,broker-2:9092",
                "PT30S|PT30S"
            })
    void masksUserInfoAndCredentialParametersOnly(String text, String expected) {
        assertThat(UrlCredentials.mask(text)).isEqualTo(expected);
    }
}
