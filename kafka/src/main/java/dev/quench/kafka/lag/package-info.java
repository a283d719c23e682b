/**
 * Consumer lag, read from the cluster rather than from the consumers themselves, so a stuck reader still shows
 * as behind: {@link dev.quench.kafka.lag.LagWatch}, wired by {@link dev.quench.kafka.lag.LagWatchConfiguration}.
 */
package dev.quench.kafka.lag;
