/** The read ceiling: GET of a task, closed loop. */
package dev.quench.benchmark.reads;
