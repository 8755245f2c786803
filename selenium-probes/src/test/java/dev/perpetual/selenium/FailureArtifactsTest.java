package dev.perpetual.selenium;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.engine.TestExecutionResult;
import org.openqa.selenium.WebDriver;

class FailureArtifactsTest {

    @RegisterExtension
    static final TestSite site = new TestSite();

    @Test
    @DisplayName("a failed run leaves a screenshot, the page, the console and the network log, named in its failure, "
            + "and only the newest runs are kept")
    void writesAndPrunesArtifacts(@TempDir Path artifacts) throws IOException {
        EngineExecutionResults results = BrowserProbeTest.execute(FailingTestCase.class,
                Map.of("perpetual.artifacts.dir", artifacts.toString(), "perpetual.artifacts.keep", "2"));

        results.testEvents().assertStatistics(stats -> stats.started(3).failed(3));
        List<Throwable> failures = results.testEvents().failed().stream()
                .map(event -> event.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow())
                .toList();
        Path testFolder = artifacts.resolve("FailingTestCase.shopHasNoDiscount");
        List<Path> kept = folders(testFolder);
        assertThat(kept).hasSize(2);
        Throwable last = failures.get(2);
        assertThat(last).isExactlyInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[discount banner]")
                .hasMessageContaining("Browser artifacts of this run: " + testFolder.toAbsolutePath());
        Path folder = Path.of(last.getMessage().substring(last.getMessage().lastIndexOf(": ") + 2));
        assertThat(kept).contains(folder);
        assertThat(Files.readAllBytes(folder.resolve("screenshot.png"))).startsWith(0x89, 'P', 'N', 'G');
        assertThat(folder.resolve("page.html")).content().contains("<title>" + TestSite.TITLE + "</title>");
        assertThat(folder.resolve("console.log")).content().contains(TestSite.CONSOLE_LINE);
        assertThat(folder.resolve("network.log")).content()
                .contains("GET " + site.url("/shop") + " -> 200", "POST " + site.url("/api/cart") + " -> 200");
        assertThat(failures.get(0).getMessage()).contains(testFolder.toAbsolutePath().toString());
        assertThat(kept).doesNotContain(Path.of(failures.get(0).getMessage()
                .substring(failures.get(0).getMessage().lastIndexOf(": ") + 2)));
    }

    private static List<Path> folders(Path directory) throws IOException {
        try (Stream<Path> children = Files.list(directory)) {
            return children.toList();
        }
    }

    @Browser
    static class FailingTestCase {

        @RepeatedTest(3)
        void shopHasNoDiscount(WebDriver driver, BrowserNetwork network) {
            driver.get(site.url("/shop").toString());
            network.await(request -> request.url().getPath().equals("/api/cart"));
            org.assertj.core.api.Assertions.assertThat(driver.getTitle()).as("discount banner").contains("50% off");
        }
    }
}
