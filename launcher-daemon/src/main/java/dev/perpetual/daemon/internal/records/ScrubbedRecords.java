package dev.perpetual.daemon.internal.records;

import dev.perpetual.spi.RunReport;
import dev.perpetual.worker.internal.Secrets;

/**
 * A run's record with the secrets' values replaced by {@code ****} in everything a test or its failure could have
 * put there: message, stack, log lines, steps, webhook keys and printed output.
 */
final class ScrubbedRecords {

    private ScrubbedRecords() {
    }

    static RunRecord of(RunRecord record, Secrets secrets) {
        if (secrets.size() == 0) {
            return record;
        }
        return new RunRecord(record.test(), record.testClass(), record.runId(), record.planned(), record.start(),
                record.duration(), record.outcome(), record.attempts(), secrets.scrub(record.message()),
                secrets.scrub(record.stack()), secrets.scrub(record.logLines()), record.droppedLogLines(),
                record.steps().stream().map(step -> new RunReport.Step(secrets.scrub(step.name()), step.start(),
                        step.duration(), step.outcome(), step.spanId(), step.parentSpanId())).toList(),
                record.webhooks().stream().map(webhook -> new RunReport.Webhook(secrets.scrub(webhook.channel()),
                        secrets.scrub(webhook.key()), webhook.deliveries(), webhook.latency())).toList(),
                record.threadStuck(), secrets.scrub(record.output()), record.artifacts(), record.traceId(),
                record.spanId(), record.location());
    }
}
