package dev.perpetual.samples.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.Shared;

/**
 * A side effect that is polled, not delivered: an identify call's traits show up in the user's profile, and the
 * pipeline's stats count the call.
 */
class ProfileProbe extends PipelineProbe {

    static final String WRITE_KEY = "probe-profile";

    @Perpetual(period = "10s", timeout = "10s")
    void identifyUpdatesTheProfile(O o, PipelineClient pipeline) throws Exception {
        pipeline.createSource(WRITE_KEY);
        String userId = "user-" + o.runId();
        long processedBefore = pipeline.stats().get("processed").asLong();

        assertThat(pipeline.send("identify", WRITE_KEY, Map.of("messageId", "id-" + o.runId(), "userId", userId,
                "traits", Map.of("plan", "pro", "probe", o.runId())), o.trace()).statusCode()).isEqualTo(200);

        o.await().untilAsserted(() -> assertThat(pipeline.profile(WRITE_KEY, userId))
                .hasValueSatisfying(traits -> assertThat(traits.path("plan").asText()).isEqualTo("pro")));
        o.await().until(() -> pipeline.stats().get("processed").asLong() > processedBefore);
    }
}
