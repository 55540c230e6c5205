package io.kobot.connect.kochava;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the converter makes of each registry answer for a record's schema id: the record's faults are
 * {@link DataException} (errors.tolerance and the DLQ handle them), outages {@link RetriableException}, and refused
 * credentials a plain {@link ConnectException} that fails the task: no record is skipped for an operator's problem.
 */
class RegistryAvroConverterFaultsTest {
    private static final byte[] RECORD_WITH_ID_7 = {0, 0, 0, 0, 7, 2, 'a'};

    @RegisterExtension
    static WireMockExtension registry = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final RegistryAvroConverter converter = new RegistryAvroConverter();

    @AfterEach
    void close() {
        converter.close();
    }

    private void configure() {
        converter.configure(
                Map.of(
                        "schema.registry.url",
                        registry.baseUrl(),
                        "schema.registry.max.retries",
                        "0",
                        "schema.registry.retry.backoff.ms",
                        "1"),
                false);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {400, 404, 409, 422})
    void aClientErrorOnTheIdIsADataError(int status) {
        registry.stubFor(get("/schemas/ids/7").willReturn(aResponse().withStatus(status)));
        configure();

        assertThatThrownBy(() -> converter.toConnectData("t", RECORD_WITH_ID_7)).isInstanceOf(DataException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"JSON", "PROTOBUF"})
    void aSchemaThatIsNotAvroIsADataError(String type) {
        registry.stubFor(
                get("/schemas/ids/7").willReturn(okJson("{\"schemaType\":\"" + type + "\",\"schema\":\"{}\"}")));
        configure();

        assertThatThrownBy(() -> converter.toConnectData("t", RECORD_WITH_ID_7)).isInstanceOf(DataException.class);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 500, 503})
    void anOutageIsRetriable(int status) {
        registry.stubFor(get("/schemas/ids/7").willReturn(aResponse().withStatus(status)));
        configure();

        assertThatThrownBy(() -> converter.toConnectData("t", RECORD_WITH_ID_7)).isInstanceOf(RetriableException.class);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void refusedCredentialsFailTheTask(int status) {
        registry.stubFor(get("/schemas/ids/7").willReturn(aResponse().withStatus(status)));
        configure();

        assertThatThrownBy(() -> converter.toConnectData("t", RECORD_WITH_ID_7))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(DataException.class)
                .isNotInstanceOf(RetriableException.class);
    }
}
