package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perpetual.O;
import dev.perpetual.Perpetual;

class GreetingE2E {

    @Perpetual(period = "1s", timeout = "5s")
    void greets(O o) {
        String greeting = new Greeter().greet(o.runId());
        o.log("greeted: %s", greeting);
        assertEquals("Hello, " + o.runId() + "!", greeting);
    }
}
