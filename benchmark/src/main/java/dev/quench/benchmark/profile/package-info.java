/** Sampling the pipeline's own threads, to show where a hop spends its time. */
package dev.quench.benchmark.profile;
