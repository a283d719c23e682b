/** The api replica's heap per task, with a million task views. */
package dev.quench.benchmark.memory;
