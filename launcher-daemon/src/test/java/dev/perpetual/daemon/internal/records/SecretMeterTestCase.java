package dev.perpetual.daemon.internal.records;

import dev.perpetual.O;
import dev.perpetual.Perpetual;

/** Counts its calls in a meter tagged with the secret {@code shop.token} (OtlpExportTest). */
public class SecretMeterTestCase {

    static final String TOKEN = "tok-otlp-3b7d90";

    @Perpetual(period = "50ms", timeout = "1s")
    void callsTheShop(O o) {
        o.metrics().counter("shop.calls", "token", o.requireConfig("shop.token")).increment();
    }
}
