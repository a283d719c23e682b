/**
 * quench's benchmark: a main program ({@link dev.quench.benchmark.BenchmarkCommand}) that starts the standalone
 * setup on a fresh data directory and measures, in one run, what the machine it runs on gives: cancel latency and
 * sustained rate against a raw Kafka relay on the same broker, running-task stop, creates, reads, rebuild, replica
 * memory and start-up. Never part of the test run.
 */
package dev.quench.benchmark;
