/**
 * Making sure of the topics before anything is consumed: missing ones are created, and startup fails when the four
 * topics are not co-partitioned, because every view must land in the view partition of its log partition's number.
 */
package dev.quench.projector.topics;
