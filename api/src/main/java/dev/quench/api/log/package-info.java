/**
 * The api's side of the Kafka log: {@link dev.quench.api.log.RequestLog} appends requests, and
 * {@link dev.quench.api.log.TaskViewReplica} keeps a local replica of the view topic, overlaid with the requests
 * not yet reflected in a view, so every read reflects every write this or any other instance acknowledged.
 */
package dev.quench.api.log;
