package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.perpetual.daemon.internal.cli.ProbeTestCase;
import dev.perpetual.daemon.internal.cli.TestDaemon;
import dev.perpetual.daemon.internal.records.RunRecord;
import org.junit.jupiter.api.Test;

/** /status and its run pages over plain HTTP: routes, headers, escaping. The browser tests look at them rendered. */
class StatusPageTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void markupInANameOrMessageIsEscapedEverywhereThePageShowsIt() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(StatusPageBrowserTest.MarkupTestCase.class)) {
            daemon.awaitRuns("MarkupTestCase.injects", 1);
            String runId = daemon.runs("MarkupTestCase.injects").get(0).runId();

            String page = daemon.get("/status").body();
            String run = daemon.get("/status/tests/MarkupTestCase.injects/runs/" + runId).body();

            String escaped = "&lt;script&gt;window.injected = 1&lt;/script&gt;&lt;img src=x onerror=&quot;"
                    + "window.injected = 2&quot;&gt; &amp; &#39;quotes&#39;";
            assertThat(page).contains("<span class=\"message\">" + escaped + "</span>")
                    .doesNotContain("<script>window", "<img src=x");
            assertThat(run).contains("<pre class=\"message\" id=\"message\">" + escaped + "</pre>",
                    "<li>logged " + escaped + "</li>").doesNotContain("<script>window", "<img src=x");
        }
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicyAndTheirAssetsAreServed() throws Exception {
        try (TestDaemon daemon = TestDaemon.of(List.of(), ProbeTestCase.class)) {
            HttpResponse<String> page = daemon.get("/status");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(Html.CONTENT_SECURITY_POLICY);
            assertThat(page.body()).contains("data-refresh-ms=\"5000\"", "not run yet");
            assertThat(daemon.get("/status?refresh=1s").body()).contains("data-refresh-ms=\"1000\"");
            assertThat(daemon.get("/status?refresh=1ms").body()).contains("data-refresh-ms=\"250\"");
            assertThat(daemon.get("/").body()).contains("<title>Perpetual status</title>");

            HttpResponse<String> fragment = daemon.get("/status/fragment");
            assertThat(fragment.body()).startsWith("<section class=\"summary\">").doesNotContain("<html");
            HttpResponse<String> script = daemon.get("/status/assets/status.js");
            assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(script.body()).contains("data-refresh");
            assertThat(daemon.get("/status/assets/status.css").body()).contains(".fail {");
        }
    }

    @Test
    void theApiPagesAndSearchesTheTestsAndTheStatusPageSearchesThemFailingFirst() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(StatusPageBrowserTest.ShopTestCase.class)) {
            daemon.awaitRuns("shop.checkout", 1);

            JsonNode first = json.readTree(daemon.get("/api/tests?limit=1").body());
            assertThat(first.get("tests")).hasSize(1);
            assertThat(first.get("tests").get(0).get("name").asText()).isEqualTo("shop.browse");
            assertThat(first.get("total").asInt()).isEqualTo(2);
            assertThat(first.get("matching").asInt()).isEqualTo(2);
            JsonNode searched = json.readTree(daemon.get("/api/tests?q=CHECK&offset=0").body());
            assertThat(searched.get("tests")).extracting(test -> test.get("name").asText())
                    .containsExactly("shop.checkout");
            HttpResponse<String> bad = daemon.get("/api/tests?limit=many");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(json.readTree(bad.body()).get("error").asText()).isEqualTo("Query parameter 'limit' has an "
                    + "invalid value [many]: use a whole number, 0 or more.");

            String page = daemon.get("/status").body();
            assertThat(page).contains("<form class=\"search\" action=\"/status\" role=\"search\">");
            assertThat(page.indexOf("data-test=\"shop.checkout\"")).isLessThan(page.indexOf(
                    "data-test=\"shop.browse\""));
            String search = daemon.get("/status?q=brow%3C").body();
            assertThat(search).contains("value=\"brow&lt;\"", "data-refresh=\"/status/fragment?q=brow%3C\"",
                    "<p class=\"shown\" id=\"shown\">0 tests matching [brow&lt;], failing first.")
                    .doesNotContain("data-test=\"shop.checkout\"");
            assertThat(daemon.get("/status/fragment?q=shop.b").body()).contains("data-test=\"shop.browse\"")
                    .doesNotContain("data-test=\"shop.checkout\"");
        }
    }

    @Test
    void aRunIsServedAsJsonAndAsAPageAndAnUnknownRunIsNotFound() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(StatusPageBrowserTest.ShopTestCase.class)) {
            daemon.awaitRuns("shop.checkout", 1);
            RunRecord record = daemon.runs("shop.checkout").get(0);

            HttpResponse<String> api = daemon.get("/api/tests/shop.checkout/runs/" + record.runId());
            HttpResponse<String> page = daemon.get("/status/tests/shop.checkout/runs/" + record.runId());
            JsonNode tests = json.readTree(daemon.get("/api/tests").body()).get("tests");

            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(json.readTree(api.body()).get("message").asText())
                    .isEqualTo("confirmation status ==> expected: <200> but was: <500>");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<li>cart holds 2 items</li>", "<td>pay</td>");
            JsonNode checkout = tests.get(1).get("name").asText().equals("shop.checkout") ? tests.get(1)
                    : tests.get(0);
            assertThat(checkout.get("lastFailure").get("outcome").asText()).isEqualTo("fail");
            assertThat(checkout.get("p50DurationMs").asDouble()).isPositive();
            assertThat(checkout.get("p99DurationMs").asDouble())
                    .isGreaterThanOrEqualTo(checkout.get("p50DurationMs").asDouble());
            assertThat(daemon.get("/api/tests/shop.checkout/runs/no-such-run").statusCode()).isEqualTo(404);
            assertThat(daemon.get("/status/tests/shop.checkout/runs/no-such-run").body())
                    .startsWith("Test [shop.checkout] has no kept run [no-such-run]");
            assertThat(daemon.get("/status/tests/nope/runs/x").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aNestedTestIsNamedWithItsOuterClassAndItsDisplayNameIsShownBesideTheName() throws Exception {
        try (TestDaemon daemon = TestDaemon.scheduling(OwnersTestCase.class)) {
            String name = "OwnersTestCase.Editing.cityChanges";
            JsonNode test = json.readTree(daemon.get("/api/tests").body()).get("tests").get(0);
            assertThat(test.get("name").asText()).isEqualTo(name);
            assertThat(test.get("displayName").asText()).isEqualTo("the city of an owner <can> be changed");
            assertThat(daemon.get("/status").body()).contains("<div class=\"display-name\">the city of an owner "
                    + "&lt;can&gt; be changed</div>");
            RunRecord record = daemon.awaitRuns(name, 1).get(0);
            assertThat(daemon.get("/status/tests/" + name + "/runs/" + record.runId()).body())
                    .contains("<span id=\"display-name\">the city of an owner &lt;can&gt; be changed</span>");
        }
    }

    static class OwnersTestCase {
        @org.junit.jupiter.api.Nested
        class Editing {
            @dev.perpetual.Perpetual(period = "500ms", timeout = "5s")
            @org.junit.jupiter.api.DisplayName("the city of an owner <can> be changed")
            void cityChanges(dev.perpetual.O o) {
            }
        }
    }
}
