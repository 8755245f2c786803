package dev.perpetual.daemon.internal.workers;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.perpetual.worker.internal.Message;
import dev.perpetual.worker.internal.WorkerRuntime;
import org.apiguardian.api.API;

/**
 * {@code perpetual.isolation=in-process}: the worker's runtime inside the supervisor's JVM, on the daemon's own
 * class path. Unprotected — a test that exits, leaks or spins takes the daemon with it — and kept for benchmarks and
 * debugging only.
 */
@API(status = INTERNAL, since = "0.1")
public final class InProcessLink implements Worker.Link {

    private final WorkerRuntime runtime;
    private final Worker worker;

    private InProcessLink(WorkerRuntime runtime, Worker worker) {
        this.runtime = runtime;
        this.worker = worker;
    }

    public static InProcessLink start(Worker worker, ClassLoader testClassLoader) {
        WorkerRuntime runtime = new WorkerRuntime(worker::received, testClassLoader);
        worker.received(new Message.Hello(ProcessHandle.current().pid(), "in-process",
                Runtime.getRuntime().maxMemory()));
        return new InProcessLink(runtime, worker);
    }

    @Override
    public void send(Message message) {
        if (message instanceof Message.Stop) {
            worker.received(runtime.health()); // the meters' last values, as a worker JVM sends them
            runtime.close();
            worker.ended("recycle", "the worker was retired (" + worker.retiring() + ")");
        }
        else {
            runtime.handle(message);
        }
    }

    @Override
    public void kill() {
        runtime.close();
        worker.ended("recycle", "the worker was retired (" + worker.retiring() + ")");
    }

    @Override
    public String describe() {
        return "the in-process worker";
    }

    @Override
    public void beat() {
        worker.received(runtime.health());
    }
}
