package dev.perpetual.daemon.internal.records;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;

import dev.perpetual.worker.internal.Message;
import org.apiguardian.api.API;

/** What the metrics read of the workers, whoever keeps them: the records do not depend on the workers' package. */
@API(status = INTERNAL, since = "0.1")
public interface WorkerGauges {

    /** Worker JVMs up and answering. */
    int up();

    /** Threads stuck in the workers now, each counted once. */
    int stuckThreads();

    /** Each live worker's tests' meters, cumulative. */
    List<List<Message.MeterData>> meters();
}
