/**
 * A Kafka cluster of several KRaft nodes on this machine, each a child process that can be SIGKILLed and started
 * again: what the cluster fault run ({@link dev.quench.standalone.chaos.ClusterFaultRun}) puts quench on to show that
 * losing a partition leader, the active controller or a worker's network costs no acknowledged request.
 */
package dev.quench.standalone.cluster;
