// The Prometheus registry's scrape alone at scale (BENCHMARKS.md, issue 18): N timers shaped like perpetual_run_seconds
// (one outcome, B bucket boundaries) and 3 gauges per test, scraped 8 times.
//   java -cp launcher-daemon/target/perpetual-daemon.jar bench/daemon/Scrape.java 10000 5
import io.micrometer.core.instrument.*;
import io.micrometer.prometheusmetrics.*;
import java.time.Duration;
public class Scrape {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]); int buckets = Integer.parseInt(a[1]);
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Duration[] slo = new Duration[buckets];
        for (int i = 0; i < buckets; i++) slo[i] = Duration.ofMillis(100L << i);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            Timer t = Timer.builder("perpetual.run").tag("test", "s.c" + i/10 + ".m" + i%10).tag("class", "bench.scale.C" + i/10)
                .tag("outcome", "pass").serviceLevelObjectives(slo).register(r);
            t.record(Duration.ofMillis(3));
            final int k = i;
            Gauge.builder("perpetual.test.last.success", v, x -> x[k]).tag("test", "s.c" + i/10 + ".m" + i%10).register(r);
            Gauge.builder("perpetual.test.last.run.timestamp", v, x -> x[k]).tag("test", "s.c" + i/10 + ".m" + i%10).register(r);
            Gauge.builder("perpetual.test.paused", v, x -> x[k]).tag("test", "s.c" + i/10 + ".m" + i%10).register(r);
        }
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 20);
            r.scrape(out, "text/plain; version=0.0.4; charset=utf-8");
            System.out.printf("%d ms %d bytes%n", (System.nanoTime() - t0) / 1_000_000, out.size());
        }
    }
}
