package dev.quench.standalone;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which KRaft quorum a broker belongs to, and as which node.
 *
 * <p>The embedded default is {@link #single()}: node 1, alone, formatted as a dynamic quorum of one voter
 * ({@code kafka-storage format --standalone}) under a cluster id it generates and keeps. A node of a larger cluster
 * is a {@link #member}: every node of the cluster a combined broker and controller, the voters fixed in
 * {@code controller.quorum.voters}, and the cluster id the one all of them were formatted with.
 *
 * @param nodeId          this node's {@code node.id}
 * @param controllerPorts every voter's controller port on localhost, by node id; empty for the single node
 * @param clusterId       the cluster id to format with; null for the single node, which generates its own
 */
public record Quorum(int nodeId, Map<Integer, Integer> controllerPorts, String clusterId) {

  public Quorum {
    controllerPorts = Map.copyOf(controllerPorts);
    if (nodeId < 1) {
      throw new IllegalArgumentException("nodeId must be at least 1, was " + nodeId);
    }
    if (!controllerPorts.isEmpty()) {
      Objects.requireNonNull(clusterId, "clusterId: every node of a cluster is formatted with the same one");
      if (!controllerPorts.containsKey(nodeId)) {
        throw new IllegalArgumentException("node " + nodeId + " is not among the voters " + controllerPorts.keySet());
      }
    }
  }

  /** The embedded default: node 1, the only voter. */
  public static Quorum single() {
    return new Quorum(1, Map.of(), null);
  }

  /**
   * Node {@code nodeId} of a cluster whose voters listen on {@code controllerPorts}, formatted as {@code clusterId}.
   */
  public static Quorum member(int nodeId, Map<Integer, Integer> controllerPorts, String clusterId) {
    return new Quorum(nodeId, controllerPorts, clusterId);
  }

  public boolean isSingle() {
    return controllerPorts.isEmpty();
  }

  /** How many nodes hold data: the replicas a partition can have at most. */
  public int size() {
    return isSingle() ? 1 : controllerPorts.size();
  }

  /** {@code 1@localhost:9093,2@localhost:9095,...}, in node order. */
  String voters() {
    return new TreeMap<>(controllerPorts).entrySet().stream()
        .map(e -> e.getKey() + "@localhost:" + e.getValue()).collect(Collectors.joining(","));
  }
}
