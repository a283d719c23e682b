/**
 * CPU time per request, by process: the broker child's from {@code /proc/<pid>/stat}, the benchmark JVM's split by
 * thread into the services that run in it (api, worker, projector), the benchmark's own client, and what no thread
 * owns (GC, JIT, VM threads).
 */
package dev.quench.benchmark.cpu;
