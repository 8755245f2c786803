package dev.perpetual.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.perpetual.internal.webhook.RunWebhooks;
import dev.perpetual.spi.Durations;
import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.PerpetualHost;
import dev.perpetual.spi.RunReport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Hands a finished run to the host, or, without one, publishes it as JUnit report entries (which Surefire writes
 * into its XML report and IDEs show beside the test).
 */
final class RunReporter {

    private final ExtensionContext context;
    private final Optional<PerpetualHost> host;
    private final TestMeters meters;

    RunReporter(ExtensionContext context, Optional<PerpetualHost> host, TestMeters meters) {
        this.context = context;
        this.host = host;
        this.meters = meters;
    }

    void report(Run run, RunWebhooks webhooks, RunThreads threads) {
        Optional<Throwable> failure = context.getExecutionException();
        Outcome outcome = Outcome.of(failure.orElse(null));
        RunReport report = new RunReport(context.getUniqueId(), run.name(), run.test().testClass().getName(),
                run.runId(), run.start(), Duration.ofNanos(System.nanoTime() - run.startNanos()),
                run.test().timeout(), outcome, failure, run.logLines(), run.droppedLogLines(), run.steps(),
                webhooks == null ? List.of() : webhooks.report(),
                outcome == Outcome.TIMEOUT && threads.stuck() > 0);
        if (host.isPresent()) {
            host.get().runFinished(report);
        }
        else {
            publish(report);
        }
    }

    private void publish(RunReport report) {
        context.publishReportEntry("perpetual.run", String.format("%s %s %s in %s", report.test(), report.runId(),
                report.outcome().label(), Durations.format(report.duration())));
        report.logLines().forEach(line -> context.publishReportEntry("perpetual.log", line));
        if (report.droppedLogLines() > 0) {
            context.publishReportEntry("perpetual.log", report.droppedLogLines()
                    + " more lines were dropped (perpetual.log.max-lines)");
        }
        for (RunReport.Step step : report.steps()) {
            context.publishReportEntry("perpetual.step", String.format("%s %s %s", step.name(),
                    Durations.format(step.duration()), step.outcome().label()));
        }
        for (RunReport.Webhook webhook : report.webhooks()) {
            context.publishReportEntry("perpetual.webhook", String.format("%s/%s %d deliveries%s", webhook.channel(),
                    webhook.key(), webhook.deliveries(),
                    webhook.latency().map(latency -> ", first after " + Durations.format(latency)).orElse("")));
        }
        for (Meter meter : meters.of(report.test()).getMeters()) {
            if (!meter.getId().getName().startsWith("perpetual.")) {
                context.publishReportEntry("perpetual.metric", describe(meter));
            }
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
