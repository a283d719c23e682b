/** Queued tasks cancelled open loop at stepped rates, timed to the moment the view topic shows them cancelled. */
package dev.quench.benchmark.cancel;
