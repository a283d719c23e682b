/**
 * The capabilities workers announced, each with the JSON Schema of its input, followed from the compacted
 * capabilities topic: what lets the api refuse a create of a capability nobody serves, or with an input its handler
 * would reject, before anything is recorded.
 */
package dev.quench.api.capabilities;
