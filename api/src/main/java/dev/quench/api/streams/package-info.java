/**
 * A task's events as the log has them: one page at a time, or live as Server-Sent Events, for one task or every task
 * of a tenant. Streams follow the replica's views (the log's facts), never requests a worker has not decided yet;
 * each event keeps its id, so a client resumes a task's stream with {@code Last-Event-ID}.
 */
package dev.quench.api.streams;
