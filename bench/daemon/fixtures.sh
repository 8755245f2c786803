#!/usr/bin/env bash
# Generates and compiles the benchmark's fixture tests into $WORK/fixtures/classes (default WORK=/tmp/bench-daemon).
#   bench.latency.Trivial   20 empty @Perpetual methods, period 200ms            (100 planned runs/s)
#   bench.load.C00..C19     20 classes x 10 empty methods, period 50ms           (4,000 planned runs/s; 5 classes: 1,000/s)
#   bench.single.S00..S19   20 classes x 1 empty method, period 200ms            (diagnostic: cost vs methods per class)
#   bench.size.Small        10 empty methods, period 100ms                       (class size: 100 planned runs/s)
#   bench.size.Large        1,000 empty methods, period 10s                      (class size: 100 planned runs/s)
#   bench.idle.Idle         1 empty method, period 1h
#   bench.hook.Hook         1 method that expects its own webhook and posts it, period 1s
# Compiled against the extension jar of SRC (default /tmp/bench-src) and JUnit 6.1.3 from ~/.m2.
set -euo pipefail
WORK=${WORK:-/tmp/bench-daemon}
SRC=${SRC:-/tmp/bench-src}
M2=${M2:-$HOME/.m2/repository}
EXT=$(ls "$SRC"/extension/target/perpetual-extension-*.jar | grep -v -e -sources -e -javadoc -e -tests | head -n1)
CP="$EXT:$M2/org/junit/jupiter/junit-jupiter-api/6.1.3/junit-jupiter-api-6.1.3.jar"
CP="$CP:$M2/org/junit/platform/junit-platform-commons/6.1.3/junit-platform-commons-6.1.3.jar"
CP="$CP:$M2/org/apiguardian/apiguardian-api/1.1.2/apiguardian-api-1.1.2.jar:$M2/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar"
OUT=$WORK/fixtures
rm -rf "$OUT"; mkdir -p "$OUT/src/bench/single" "$OUT/src/bench/latency" "$OUT/src/bench/load" "$OUT/src/bench/idle" "$OUT/src/bench/hook" "$OUT/src/bench/size" "$OUT/classes"

{
    echo 'package bench.latency;'
    echo 'import dev.perpetual.Perpetual;'
    echo '/** Per-run overhead: 20 empty tests at 200 ms (100 planned runs/s, far below capacity). */'
    echo 'class Trivial {'
    for i in $(seq -w 0 19); do
        echo "    @Perpetual(period = \"200ms\", timeout = \"5s\", name = \"lat.t$i\") void t$i() { }"
    done
    echo '}'
} >"$OUT/src/bench/latency/Trivial.java"

for c in $(seq -w 0 19); do
    {
        echo 'package bench.load;'
        echo 'import dev.perpetual.Perpetual;'
        echo "/** Throughput: 10 empty tests at 50 ms. */"
        echo "class C$c {"
        for m in $(seq 0 9); do
            echo "    @Perpetual(period = \"50ms\", timeout = \"5s\", name = \"load.c$c.m$m\") void m$m() { }"
        done
        echo '}'
    } >"$OUT/src/bench/load/C$c.java"
done

for c in $(seq -w 0 19); do
    printf 'package bench.single;\nimport dev.perpetual.Perpetual;\nclass S%s {\n    @Perpetual(period = "200ms", timeout = "5s", name = "one.s%s") void t() { }\n}\n' \
        "$c" "$c" >"$OUT/src/bench/single/S$c.java"
done

# Class size: the same empty body and the same planned rate, in a class of 10 and in a class of 1,000 methods.
for size in Small:10:100ms Large:1000:10s; do
    IFS=: read -r name methods period <<<"$size"
    {
        echo 'package bench.size;'
        echo 'import dev.perpetual.Perpetual;'
        echo "/** Class size: $methods empty tests at $period (100 planned runs/s). */"
        echo "class $name {"
        for m in $(seq 1 "$methods"); do
            echo "    @Perpetual(period = \"$period\", timeout = \"5s\") void m$m() { }"
        done
        echo '}'
    } >"$OUT/src/bench/size/$name.java"
done

cat >"$OUT/src/bench/idle/Idle.java" <<'J'
package bench.idle;
import dev.perpetual.Perpetual;
/** An idle daemon: one empty test at a 1 h period. */
class Idle {
    @Perpetual(period = "1h", timeout = "5s", name = "idle.once-an-hour") void idle() { }
}
J

cat >"$OUT/src/bench/hook/Hook.java" <<'J'
package bench.hook;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.perpetual.O;
import dev.perpetual.PendingWebhook;
import dev.perpetual.Perpetual;
import dev.perpetual.WebhookWaiter;

/** Starts the worker's webhook receiver and keeps one real webhook round trip a second going beside the load. */
class Hook {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Perpetual(period = "1s", timeout = "10s", name = "hook.self")
    void self(WebhookWaiter webhooks, O o) throws Exception {
        String key = "k-" + o.runId();
        PendingWebhook pending = webhooks.expect(key);
        HTTP.send(HttpRequest.newBuilder(webhooks.url()).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + key + "\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
        pending.await();
    }
}
J

javac -nowarn -d "$OUT/classes" -cp "$CP" $(find "$OUT/src" -name '*.java')
echo "fixtures: $OUT/classes ($(find "$OUT/classes" -name '*.class' | wc -l) classes)"
