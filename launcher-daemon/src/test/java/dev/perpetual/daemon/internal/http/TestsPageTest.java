package dev.perpetual.daemon.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.perpetual.daemon.internal.records.Views;
import org.junit.jupiter.api.Test;

class TestsPageTest {

    @Test
    void theStatusPageShowsAtMostTwoHundredTestsFailingFirstAndCountsThemAll() {
        List<Views.TestView> all = new ArrayList<>();
        IntStream.range(0, 450).forEach(i -> all.add(view("Probe" + i + ".check", true, Boolean.TRUE)));
        all.add(view("Late.neverRun", true, null));
        all.add(view("Checkout.order", true, Boolean.FALSE));
        all.add(view("Off.muted", false, null));

        TestsPage page = TestsPage.of(all, null, 0, TestsPage.STATUS_LIMIT, TestsPage.FAILING_FIRST);

        assertThat(page.shown()).hasSize(200);
        assertThat(page.shown().subList(0, 3)).extracting(Views.TestView::name)
                .containsExactly("Checkout.order", "Late.neverRun", "Probe0.check");
        assertThat(page.cut()).isTrue();
        assertThat(page.counts()).isEqualTo(new TestsPage.Counts(1, 450, 1, 1));
        assertThat(page.total()).isEqualTo(453);
    }

    @Test
    void aSearchMatchesPartOfTheNameOrTheClassInAnyCaseAndPagesWithOffsetAndLimit() {
        List<Views.TestView> all = IntStream.range(0, 30)
                .mapToObj(i -> view("Probe" + i + ".check", true, Boolean.TRUE)).toList();

        TestsPage byName = TestsPage.of(all, " probe2 ", 0, 5, null);
        assertThat(byName.shown()).extracting(Views.TestView::name)
                .containsExactly("Probe2.check", "Probe20.check", "Probe21.check", "Probe22.check", "Probe23.check");
        assertThat(byName.matching()).isEqualTo(11);
        assertThat(byName.query()).isEqualTo("probe2");

        TestsPage byClass = TestsPage.of(all, "COM.ACME.PROBE29", 0, 5, null);
        assertThat(byClass.shown()).extracting(Views.TestView::name).containsExactly("Probe29.check");

        TestsPage second = TestsPage.of(all, null, 28, 5, null);
        assertThat(second.shown()).extracting(Views.TestView::name).containsExactly("Probe28.check",
                "Probe29.check");
        assertThat(second.offset()).isEqualTo(28);
    }

    private static Views.TestView view(String name, boolean enabled, Boolean lastSuccess) {
        return new Views.TestView(name, "com.acme." + name.substring(0, name.indexOf('.')), "check", "[id]",
                enabled, "1m", "1m", "skip", 0, null, 0, null, null, null, lastSuccess, null, null, null, false,
                false, null, null, null);
    }
}
