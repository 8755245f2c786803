package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import dev.perpetual.spi.Outcome;
import dev.perpetual.spi.RunReport;
import dev.perpetual.worker.internal.Message;
import org.apiguardian.api.API;

/** Makes a {@link RunRecord}: from what a worker reported, or for a run its worker lost. */
@API(status = INTERNAL, since = "0.1")
public final class RunRecords {

    private RunRecords() {
    }

    public static RunRecord of(ScheduledTest test, Instant planned, Message.RunData run) {
        return new RunRecord(test.name(), test.className(), run.runId(), planned, instant(run.startMicros()),
                Duration.ofNanos(run.durationNanos()), run.outcome(), run.attempts(), run.message(), run.stack(),
                run.logLines(), run.droppedLogLines(), run.steps().stream().map(RunRecords::step).toList(),
                run.webhooks().stream().map(RunRecords::webhook).toList(), run.threadStuck(), run.output(),
                run.artifacts(), run.traceId(), run.spanId());
    }

    /** The record of a run whose worker ended (or could not take it): {@code outcome}, with {@code why}. */
    public static RunRecord lost(ScheduledTest test, Instant planned, Instant handed, Outcome outcome, String why) {
        Instant now = Instant.now();
        return new RunRecord(test.name(), test.className(), newRunId(handed), planned, handed,
                Duration.between(handed, now), outcome, 1, why, null, List.of(), 0, List.of(), List.of(), false,
                null, null);
    }

    static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    private static RunReport.Step step(Message.StepData step) {
        return new RunReport.Step(step.name(), instant(step.startMicros()), Duration.ofNanos(step.durationNanos()),
                step.outcome(), step.spanId(), step.parentSpanId());
    }

    private static RunReport.Webhook webhook(Message.WebhookData webhook) {
        return new RunReport.Webhook(webhook.channel(), webhook.key(), webhook.deliveries(),
                webhook.latencyNanos() < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(webhook.latencyNanos())));
    }

    /** A run id for a run the extension never started (same shape as the extension's). */
    private static String newRunId(Instant start) {
        String random = Long.toString(ThreadLocalRandom.current().nextLong() >>> 4, 36);
        return Long.toString(start.toEpochMilli(), 36) + "-" + "0".repeat(Math.max(0, 12 - random.length())) + random;
    }
}
