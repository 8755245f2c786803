package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

/**
 * The README's first screen, as a new user takes it: its {@code pom.xml} and its first test, copied from the README
 * into a new project, pass under {@code mvn test} and {@code mvn perpetual:once}, with at most ten lines of Perpetual
 * build configuration. The test's shop is a real HTTP server on a free port of this machine.
 */
class ReadmeProjectIT {

    private static final Pattern BLOCK = Pattern.compile("```(xml|java)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesPomAndFirstTestPassUnderMvnTestAndTheGate() throws Exception {
        String readme = Files.readString(Path.of(MavenBuild.property("it.readme")), StandardCharsets.UTF_8);
        String pom = firstBlock(readme, "xml");
        String test = firstBlock(readme, "java");
        assertThat(pom.lines().filter(line -> line.endsWith("<!-- P -->"))).as("Perpetual's lines").hasSize(10);
        String version = MavenBuild.property("it.perpetual.version");
        assertThat(pom).as("the README's Perpetual version").contains("<version>" + version + "</version>");

        HttpServer shop = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        shop.createContext("/", exchange -> {
            byte[] page = "<h1>The shop</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        shop.start();
        try {
            MavenBuild build = MavenBuild.of("readme", Map.of("pom.xml", pom,
                    "src/test/java/com/acme/CheckoutE2E.java", test));

            int exitCode = build.run(Duration.ofMinutes(4), "-Dperpetual.webhooks.port=0",
                    "-Dperpetual.env.shop-url=http://127.0.0.1:" + shop.getAddress().getPort() + "/",
                    "test", "perpetual:once");

            assertThat(exitCode).as(build.log()).isZero();
            assertThat(build.log()).contains("[INFO] Running com.acme.CheckoutE2E")
                    .contains("[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")
                    .contains("[INFO] Perpetual --once: 1 tests, all passed (1 pass)")
                    .doesNotContain("mvn test does not run")
                    .contains("[INFO] BUILD SUCCESS");
        }
        finally {
            shop.stop(0);
        }
    }

    private static String firstBlock(String readme, String language) {
        Matcher block = BLOCK.matcher(readme);
        while (block.find()) {
            if (block.group(1).equals(language)) {
                return block.group(2);
            }
        }
        throw new AssertionError("The README has no ```" + language + " block");
    }
}
