/** A probe handler in the worker, timing how fast a cancel reaches a running task. */
package dev.quench.benchmark.stop;
