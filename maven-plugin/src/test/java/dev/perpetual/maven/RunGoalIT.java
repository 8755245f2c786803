package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** {@code mvn perpetual:run} started as a person does in a terminal, seen running the tests, then stopped by Ctrl-C. */
class RunGoalIT {

    private static final Pattern PORT = Pattern.compile("run forever, on port (\\d+)");

    @Test
    void runServesTheTestsUntilCtrlCStopsTheBuildAndTheDaemonGracefully() throws Exception {
        MavenBuild build = MavenBuild.of("junit6-passing");
        Process maven = build.start("-Dperpetual.port=0", "-Dperpetual.webhooks.port=0", "perpetual:run");
        List<ProcessHandle> started = List.of();
        try {
            int port = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> port(build.log()), found -> found > 0 || !maven.isAlive());
            assertThat(port).as(build.log()).isPositive();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest tests = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/tests")).build();
            String body = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> http.send(tests, HttpResponse.BodyHandlers.ofString()).body(),
                            json -> json.contains("\"lastOutcome\":\"pass\""));
            assertThat(body).contains("\"name\":\"GreetingE2E.greets\"", "\"testClass\":\"com.acme.GreetingE2E\"");
            started = maven.descendants().toList();
            assertThat(started).as("the daemon and its worker").hasSizeGreaterThanOrEqualTo(2);

            // Ctrl-C in a terminal: SIGINT to the foreground process group, Maven's JVM, the daemon and its worker.
            new ProcessBuilder("kill", "-INT", "--", "-" + maven.pid()).inheritIO().start().waitFor();

            assertThat(maven.waitFor(90, TimeUnit.SECONDS)).as("the build ends").isTrue();
            assertThat(build.log()).contains("[INFO] Stopped");
            assertThat(started).as("no process left behind").noneMatch(ProcessHandle::isAlive);
        }
        finally {
            MavenBuild.kill(maven);
            started.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static int port(String log) {
        Matcher port = PORT.matcher(log);
        return port.find() ? Integer.parseInt(port.group(1)) : 0;
    }
}
