package dev.perpetual.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

class PerpetualDaemonTest {

    @Test
    void mainBoundsHowLongARequestMayTakeToArriveUnlessTheJvmAlreadySaysSo() {
        Properties unset = new Properties();
        PerpetualDaemon.defaultHttpLimits(unset);
        assertThat(unset).containsEntry("sun.net.httpserver.maxReqTime", "30")
                .containsEntry("sun.net.httpserver.maxRspTime", "30")
                .containsEntry("sun.net.httpserver.nodelay", "true");

        Properties set = new Properties();
        set.setProperty("sun.net.httpserver.maxReqTime", "5");
        PerpetualDaemon.defaultHttpLimits(set);
        assertThat(set).containsEntry("sun.net.httpserver.maxReqTime", "5")
                .containsEntry("sun.net.httpserver.maxRspTime", "30");
    }
}
