/**
 * How the contract travels: topic names, the JSON codec with short type names, the CloudEvents headers and the
 * dead-letter headers. Kafka-free on purpose: headers are plain name/bytes pairs each module puts on its records.
 */
package dev.quench.events.wire;
