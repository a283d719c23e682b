/** Load shapes: the open-loop schedule. */
package dev.quench.benchmark.load;
