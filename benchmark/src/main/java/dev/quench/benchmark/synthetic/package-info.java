/** Task histories as the api and a worker write them, for the log and the views the benchmark fills. */
package dev.quench.benchmark.synthetic;
