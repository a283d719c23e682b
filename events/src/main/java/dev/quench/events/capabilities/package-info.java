/**
 * What workers serve: each capability a worker runs, with the JSON Schema of its input, announced on the compacted
 * capabilities topic ({@link dev.quench.events.wire.Topics#capabilities()}) so that every api instance learns from
 * the log alone which creates to take, and refuses bad input before anything is recorded.
 */
package dev.quench.events.capabilities;
