package dev.perpetual.it.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** The whole app on a random port, called over HTTP as a client would. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GreetingProbe {

    @LocalServerPort
    int port;

    // The first run builds the Spring context (5 s on a quiet machine, over 10 s on a loaded one): set-up, bounded by
    // perpetual.timeout.setup, not by the timeout, which starts with the test method.
    @Perpetual(period = "2s", timeout = "10s")
    void greetingAnswersJson(O o) {
        JUnitVersion.log(o);
        RestClient client = RestClient.create("http://localhost:" + port);
        String name = "probe-" + o.runId();

        ResponseEntity<Greeting> response = o.step("GET /greeting", () -> client.get()
                .uri(uri -> uri.path("/greeting").queryParam("name", name).build())
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .toEntity(Greeting.class));

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getHeaders().getContentType()).isNotNull()
                .satisfies(type -> assertThat(type.isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue());
        Greeting greeting = response.getBody();
        assertThat(greeting).isNotNull();
        assertThat(greeting.content()).isEqualTo("Hello, " + name + "!");
        assertThat(greeting.id()).isPositive();
        o.log("greeting #%d from port %d", greeting.id(), port);
    }
}
