/** The system under test and the run's broker: the standalone setup, topics, ports, the data directory. */
package dev.quench.benchmark.setup;
