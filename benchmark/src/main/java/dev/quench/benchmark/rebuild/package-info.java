/** The projector's rebuild over a million synthetic log events. */
package dev.quench.benchmark.rebuild;
