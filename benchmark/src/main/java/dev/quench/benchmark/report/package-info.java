/** The results: latency summaries, the machine, one table as text, Markdown and JSON. */
package dev.quench.benchmark.report;
