/** The floor: a producer, two relays and a consumer over three topics, the hops of a cancel, without quench. */
package dev.quench.benchmark.baseline;
