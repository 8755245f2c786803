package com.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.perpetual.Perpetual;

class CheckoutE2E {

    @Perpetual(period = "1m", timeout = "5s")
    void orderConfirmed() {
        assertEquals(200, 200, "status");
    }

    @Perpetual(period = "1m", timeout = "5s")
    void paymentAccepted() {
        assertEquals(200, 500, "status");
    }
}
