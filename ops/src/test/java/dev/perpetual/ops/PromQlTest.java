package dev.perpetual.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PromQlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "histogram_quantile(0.99, sum by (le, test) (rate(perpetual_run_seconds_bucket{test=~\"$test\"}[5m]))) | perpetual_run_seconds_bucket",
            "time() - max without (instance) (a_b) > 3 * min without (instance) (rec:period:estimate1d) | a_b rec:period:estimate1d",
            "x unless on (job, location, test) y                                    | x y",
            "up{job=\"not_a_metric\", le=~'nor_this'}                               | up",
            "1e3 * foo offset 5m > bool 2 and bar @ start()                         | bar foo",
            "sum(rate(foo[$__rate_interval])) by (bar) / ignoring(baz) group_left(qux) other | foo other",
            "label_replace(vector(60), \"test\", \"Checkout.order\", \"\", \"\") or x * 0 + Inf | x",
            "{__name__=\"by_name_only\", job=\"j\"}                                 | by_name_only",
    })
    void finds_the_metric_names_and_nothing_else(String expr, String names) {
        assertThat(PromQl.metricNames(expr)).containsExactly(names.split(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"perpetual_run_seconds_bucket", "perpetual_run_seconds_count", "perpetual_step_seconds_sum",
            "perpetual_test_last_success", "perpetual_browser_restarts_total", "jvm_memory_used_bytes"})
    void the_contract_holds_the_daemons_series(String name) {
        assertThat(MetricContract.isExported(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"perpetual_run_seconds", "perpetual_runs_total", "perpetual_test_last_success_bucket",
            "perpetual_browser_page_load_seconds", "up", "http_server_requests_seconds_count"})
    void the_contract_rejects_what_the_daemon_does_not_export(String name) {
        assertThat(MetricContract.isExported(name)).isFalse();
    }
}
