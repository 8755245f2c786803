package dev.perpetual.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import dev.perpetual.Constants;
import dev.perpetual.internal.webhook.RunWebhooks;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.OutcomeRules;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands a finished run to the host, or, without one, publishes it as JUnit report entries (which IDEs show
 * beside the test) and prints the same lines to the test's standard output (which Surefire keeps in its XML
 * report, as it ignores report entries).
 */
final class RunReporter {

    private final ExtensionContext context;
    private final Optional<PerpetualHost> host;
    private final TestMeters meters;
    private final OutcomeRules outcomes;

    RunReporter(ExtensionContext context, Optional<PerpetualHost> host, TestMeters meters, OutcomeRules outcomes) {
        this.context = context;
        this.outcomes = outcomes;
        this.host = host;
        this.meters = meters;
    }

    void report(Run run, RunWebhooks webhooks, RunThreads threads) {
        Optional<Throwable> failure = context.getExecutionException();
        Outcome outcome = outcomes.of(failure.orElse(null));
        RunReport report = reportOf(context.getUniqueId(), run, webhooks, failure, outcome,
                outcome == Outcome.TIMEOUT && threads.stuck() > 0);
        if (host.isPresent()) {
            host.get().runFinished(report);
        }
        else {
            publish(report);
        }
    }

    /** The report of {@code run}, ended now with {@code failure}. */
    static RunReport reportOf(String uniqueId, Run run, RunWebhooks webhooks, Optional<Throwable> failure,
            Outcome outcome, boolean testThreadStuck) {
        return new RunReport(uniqueId, run.name(), run.test().testClass().getName(), run.runId(), run.start(),
                Duration.ofNanos(System.nanoTime() - run.startNanos()), run.test().timeout(),
                outcome, failure, run.logLines(), run.droppedLogLines(), run.steps(),
                webhooks == null ? List.of() : webhooks.report(), testThreadStuck, run.trace());
    }

    private void publish(RunReport report) {
        boolean stdout = Booleans.read(context::getConfigurationParameter, Constants.REPORT_STDOUT, true);
        StringBuilder printed = new StringBuilder();
        BiConsumer<String, String> entry = (key, value) -> {
            context.publishReportEntry(key, value);
            printed.append('[').append(key).append("] ").append(value).append(System.lineSeparator());
        };
        entry.accept("perpetual.run", String.format("%s %s %s in %s, trace %s", report.test(), report.runId(),
                report.outcome().label(), Durations.format(report.duration()), report.trace().traceId()));
        report.logLines().forEach(line -> entry.accept("perpetual.log", line));
        if (report.droppedLogLines() > 0) {
            entry.accept("perpetual.log", report.droppedLogLines()
                    + " log lines were left out in all (perpetual.log.max-lines, perpetual.log.max-bytes)");
        }
        for (RunReport.Step step : report.steps()) {
            entry.accept("perpetual.step", String.format("%s %s %s", step.name(), Durations.format(step.duration()),
                    step.outcome().label()));
        }
        for (RunReport.Webhook webhook : report.webhooks()) {
            entry.accept("perpetual.webhook", String.format("%s/%s %d deliveries%s", webhook.channel(),
                    webhook.key(), webhook.deliveries(),
                    webhook.latency().map(latency -> ", first after " + Durations.format(latency)).orElse("")));
        }
        for (Meter meter : meters.of(report.test()).getMeters()) {
            if (!meter.getId().getName().startsWith("perpetual.")) {
                entry.accept("perpetual.metric", describe(meter));
            }
        }
        if (stdout) {
            System.out.print(printed);
        }
    }

    private static String describe(Meter meter) {
        String tags = meter.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue())
                .collect(Collectors.joining(",", "{", "}"));
        StringBuilder text = new StringBuilder(meter.getId().getName()).append(tags);
        for (Measurement measurement : meter.measure()) {
            text.append(' ').append(measurement.getStatistic().getTagValueRepresentation()).append('=')
                    .append(measurement.getValue());
        }
        return text.toString();
    }
}
