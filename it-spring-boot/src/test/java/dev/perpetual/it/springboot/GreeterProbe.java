package dev.perpetual.it.springboot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

/** A plain Spring context (no Boot, no web): the service bean on its own. */
@SpringJUnitConfig(Greeter.class)
class GreeterProbe {

    @Autowired
    Greeter greeter;

    // The first run builds the Spring context (5 s on a quiet machine, over 10 s on a loaded one): set-up, bounded by
    // perpetual.timeout.setup, not by the timeout, which starts with the test method.
    @Perpetual(period = "2s", timeout = "10s")
    void greeterSaysHello(O o) {
        JUnitVersion.log(o);
        Greeting first = greeter.greet("  perpetual ");
        Greeting second = greeter.greet("");

        assertThat(first.content()).isEqualTo("Hello, perpetual!");
        assertThat(second.content()).isEqualTo("Hello, World!");
        assertThat(second.id()).isGreaterThan(first.id());
    }
}
