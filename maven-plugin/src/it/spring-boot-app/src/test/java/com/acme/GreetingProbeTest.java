package com.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

/** The whole app on a random port, called over HTTP as a client would. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GreetingProbeTest {

    @LocalServerPort
    int port;

    // The Spring context's first build is the run's set-up (perpetual.timeout.setup): the timeout bounds the call.
    @Perpetual(period = "1m", timeout = "10s")
    void greetingAnswersJson(O o) {
        GreetingApplication.Greeting greeting = RestClient.create("http://localhost:" + port).get()
                .uri(uri -> uri.path("/greeting").queryParam("name", o.runId()).build())
                .retrieve().body(GreetingApplication.Greeting.class);

        assertThat(greeting).isNotNull();
        assertThat(greeting.content()).isEqualTo("Hello, " + o.runId() + "!");
        o.log("greeting #%d from port %d", greeting.id(), port);
    }
}
