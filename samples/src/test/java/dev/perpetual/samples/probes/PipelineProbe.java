package dev.perpetual.samples.probes;

import dev.perpetual.Config;
import dev.perpetual.Shared;

/**
 * The base of the pipeline probes: one {@link PipelineClient} shared by all of them for the launcher session's
 * life (a {@code @Shared} factory is found in superclasses too, and made once).
 */
abstract class PipelineProbe {

    @Shared
    static PipelineClient pipeline(Config config) throws Exception {
        return PipelineClient.connect(config);
    }
}
