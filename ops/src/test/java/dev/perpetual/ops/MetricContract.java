package dev.perpetual.ops;

import java.util.Set;

/**
 * The series the daemon exports, as DESIGN.md's "Contracts users rely on" and the daemon and selenium-probes
 * issues name them, plus the JVM and process meters of Micrometer's standard binders. Rules and the dashboard
 * may read nothing else (besides the rules' own recorded series). Changing this list is changing a contract.
 */
final class MetricContract {

    /** Histograms (Micrometer timers with a percentile histogram): only their series exist, never the bare name. */
    static final Set<String> HISTOGRAMS = Set.of(
            "perpetual_run_seconds",
            "perpetual_schedule_lateness_seconds",
            "perpetual_step_seconds",
            "perpetual_webhook_latency_seconds",
            "perpetual_browser_page_load_seconds",
            "perpetual_browser_beacon_latency_seconds");

    /** Gauges and counters, under their exported names. */
    static final Set<String> SERIES = Set.of(
            "perpetual_test_last_success",
            "perpetual_test_last_run_timestamp_seconds",
            "perpetual_run_skipped_total",
            "perpetual_runs_in_flight",
            "perpetual_test_paused",
            "perpetual_test_info",
            "perpetual_test_objective_ratio",
            "perpetual_scheduler_heartbeat_timestamp_seconds",
            "perpetual_threads_stuck",
            "perpetual_webhook_received_total",
            "perpetual_browser_restarts_total");

    /** Micrometer's JvmMemory/JvmGc/JvmThread/ClassLoader/Processor/Uptime/FileDescriptor binders. */
    static final Set<String> JVM_AND_PROCESS = Set.of(
            "jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
            "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_max",
            "jvm_threads_live_threads", "jvm_threads_daemon_threads", "jvm_threads_peak_threads",
            "jvm_threads_states_threads", "jvm_classes_loaded_classes",
            "process_cpu_usage", "system_cpu_usage", "system_cpu_count",
            "process_uptime_seconds", "process_start_time_seconds",
            "process_files_open_files", "process_files_max_files");

    /** Micrometer exports _max beside _count and _sum for every timer. */
    private static final Set<String> HISTOGRAM_SUFFIXES = Set.of("_bucket", "_count", "_sum", "_max");

    private MetricContract() {
    }

    static boolean isExported(String name) {
        return SERIES.contains(name) || JVM_AND_PROCESS.contains(name)
                || HISTOGRAMS.stream().anyMatch(histogram -> HISTOGRAM_SUFFIXES.stream()
                        .anyMatch(suffix -> name.equals(histogram + suffix)));
    }
}
