package dev.perpetual.samples.probes;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.Shared;

/**
 * A flaky third-party destination (a WireMock server that answers 500, then 200) still receives the event after
 * the pipeline's retries. WireMock is the right tool for faking a third party; its own verification is the proof.
 */
class FlakyDestinationProbe extends PipelineProbe {

    static final String WRITE_KEY = "probe-flaky-destination";

    /** The fake third party, started once and stopped when the launcher session ends. */
    static final class FlakyThirdParty implements AutoCloseable {

        final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(8).maxRequestJournalEntries(1000));

        FlakyThirdParty() {
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.port() + "/flaky");
        }

        @Override
        public void close() {
            server.stop();
        }
    }

    @Shared
    static FlakyThirdParty thirdParty() {
        return new FlakyThirdParty();
    }

    @Perpetual(period = "15s", timeout = "15s")
    void eventSurvivesAFlakyDestination(O o, PipelineClient pipeline, FlakyThirdParty thirdParty) throws Exception {
        WireMockServer wireMock = thirdParty.server;
        String messageId = "flaky-" + o.runId();
        StubMapping failsFirst = wireMock.stubFor(post(urlEqualTo("/flaky")).withRequestBody(containing(messageId))
                .inScenario(messageId).whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(500))
                .willSetStateTo("recovered"));
        StubMapping thenSucceeds = wireMock.stubFor(post(urlEqualTo("/flaky")).withRequestBody(containing(messageId))
                .inScenario(messageId).whenScenarioStateIs("recovered").willReturn(aResponse().withStatus(200)));
        o.cleanup(() -> {
            wireMock.removeStub(failsFirst);
            wireMock.removeStub(thenSucceeds);
        });
        pipeline.deliverTo(WRITE_KEY, "flaky", thirdParty.url());

        assertThat(pipeline.send("track", WRITE_KEY, Map.of("messageId", messageId, "userId", "probe-user",
                "event", "Payment Captured"), o.trace()).statusCode()).isEqualTo(200);

        o.await().untilAsserted(() -> wireMock.verify(2, postRequestedFor(urlEqualTo("/flaky"))
                .withRequestBody(containing(messageId))));
    }
}
