package dev.perpetual.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.perpetual.O;
import dev.perpetual.Perpetual;
import dev.perpetual.testing.SwappedClassPath;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("A worker's discovery")
class DiscoveryRequirementsTest {

    @Test
    void reports_a_library_older_than_perpetual_needs_among_the_problems_the_daemon_fails_at_start_with()
            throws Exception {
        SwappedClassPath classPath = new SwappedClassPath(entry -> entry.contains("micrometer-core-"),
                List.of(Path.of("target", "older-libraries", "micrometer-core-1.3.0.jar")));

        List<String> problems = classPath.run(Discover.class, ProbeTestCase.class.getName());

        String version = System.getProperty("micrometer.version");
        assertThat(problems).containsExactly("Micrometer 1.3.0 (micrometer-core-1.3.0.jar) is older than Perpetual "
                + "needs: 1.5.0 or later. Under a Spring Boot parent set <micrometer.version>" + version
                + "</micrometer.version> in <properties>; otherwise import io.micrometer:micrometer-bom:" + version
                + " in <dependencyManagement>.");
    }

    /** Inside the swapped class path: discovers one class as a worker does, and answers the catalog's problems. */
    public static final class Discover implements Function<String, List<String>> {

        @Override
        public List<String> apply(String testClass) {
            Message.Selection selection = new Message.Selection(false, List.of(), List.of(), List.of(testClass),
                    List.of(), List.of(), List.of(), List.of(), Map.of(), List.of());
            WorkerDiscovery.Problems problems = new WorkerDiscovery.Problems();
            return WorkerDiscovery.discover(LauncherFactory.create(),
                    WorkerDiscovery.request(selection, Map.of(), problems, "junit-jupiter"), problems).problems();
        }
    }

    static class ProbeTestCase {

        @Perpetual(period = "1m")
        void checkout(O o) {
        }
    }
}
