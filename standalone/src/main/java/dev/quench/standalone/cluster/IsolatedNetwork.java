package dev.quench.standalone.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of its own joined to this machine by a veth pair: a process started with {@link #command}
 * reaches this machine only at {@link #hostAddress()}, over a link that {@link #cut()} takes down and
 * {@link #restore()} brings back. A cut is what a lost switch port or a partition does to a process: it keeps
 * running and believing what it believed, its connections stall without a reset, and nobody hears from it.
 *
 * <p>Linux only, as root, with iproute2's {@code ip}: {@link #available()} says whether this machine allows it.
 */
public final class IsolatedNetwork implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final long CARRIER_TIMEOUT_MILLIS = 10_000;

  private final String namespace;
  private final String hostLink;
  private final String peerLink;
  private final String hostAddress;

  private IsolatedNetwork(String namespace, String hostLink, String peerLink, String hostAddress) {
    this.namespace = namespace;
    this.hostLink = hostLink;
    this.peerLink = peerLink;
    this.hostAddress = hostAddress;
  }

  /** Whether a namespace can be made here: by trying to, and removing it again. */
  public static boolean available() {
    try (IsolatedNetwork probe = create()) {
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Makes a new namespace and its link, on a /30 of 10.213.0.0/16 not in use here.
   *
   * @throws IllegalStateException if this machine does not allow it (not root, no {@code ip}, no veth)
   */
  public static IsolatedNetwork create() {
    String tag = Integer.toHexString(0x100000 + RANDOM.nextInt(0xefffff));
    String namespace = "quench-" + tag;
    // Interface names have at most 15 characters.
    String hostLink = "qz" + tag + "h";
    String peerLink = "qz" + tag + "n";
    List<List<String>> undo = new ArrayList<>();
    try {
      ip("netns", "add", namespace);
      undo.add(0, List.of("netns", "del", namespace));
      ip("link", "add", hostLink, "type", "veth", "peer", "name", peerLink);
      undo.add(0, List.of("link", "del", hostLink));
      ip("link", "set", peerLink, "netns", namespace);
      String hostAddress = null;
      for (int attempt = 0; attempt < 8 && hostAddress == null; attempt++) {
        int block = RANDOM.nextInt(16384) * 4;
        String prefix = "10.213." + (block / 256) + ".";
        try {
          ip("addr", "add", prefix + (block % 256 + 1) + "/30", "dev", hostLink);
          ip("-n", namespace, "addr", "add", prefix + (block % 256 + 2) + "/30", "dev", peerLink);
          hostAddress = prefix + (block % 256 + 1);
        } catch (IllegalStateException e) {
          ip("addr", "flush", "dev", hostLink);
        }
      }
      if (hostAddress == null) {
        throw new IllegalStateException("no free /30 in 10.213.0.0/16 for " + hostLink);
      }
      ip("link", "set", hostLink, "up");
      ip("-n", namespace, "link", "set", peerLink, "up");
      ip("-n", namespace, "link", "set", "lo", "up");
      IsolatedNetwork network = new IsolatedNetwork(namespace, hostLink, peerLink, hostAddress);
      network.awaitInsideUp(true);
      return network;
    } catch (RuntimeException e) {
      undo.forEach(args -> quietly(args.toArray(String[]::new)));
      throw e;
    }
  }

  /** This machine's end of the link: what a process inside reaches this machine's listeners at. */
  public String hostAddress() {
    return hostAddress;
  }

  public String namespace() {
    return namespace;
  }

  /** {@code command}, run inside the namespace ({@code ip netns exec}, which execs it: same pid). */
  public List<String> command(List<String> command) {
    List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    inside.addAll(command);
    return inside;
  }

  /** Takes the link down: nothing passes either way until {@link #restore()}; returns once the inside sees it. */
  public void cut() {
    ip("link", "set", hostLink, "down");
    awaitInsideUp(false);
  }

  /**
   * Brings the link up again, and returns once the inside end is operational again: the kernel applies a veth
   * peer's carrier change to its state and routes asynchronously (its link watch runs up to a second later), and until
   * then a connection from inside fails as if the link were still cut.
   */
  public void restore() {
    ip("link", "set", hostLink, "up");
    awaitInsideUp(true);
  }

  /** Waits until the inside end of the link is operational ({@code state UP}), or is not. */
  private void awaitInsideUp(boolean present) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CARRIER_TIMEOUT_MILLIS);
    while (ip("-n", namespace, "-o", "link", "show", "dev", peerLink).contains(" state UP ") != present) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(peerLink + " in " + namespace + (present ? " is not up" : " is still up") + " " + CARRIER_TIMEOUT_MILLIS + " ms after its link was set " + (present ? "up" : "down"));
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + peerLink + "'s carrier", e);
      }
    }
  }

  /** Removes the link and the namespace; processes still inside lose their network. */
  @Override
  public void close() {
    quietly("link", "del", hostLink);
    quietly("netns", "del", namespace);
  }

  @Override
  public String toString() {
    return "IsolatedNetwork[" + namespace + " via " + hostLink + ", host at " + hostAddress + "]";
  }

  private static void quietly(String... args) {
    try {
      ip(args);
    } catch (RuntimeException e) {
      // Already gone, or never made.
    }
  }

  /** Runs {@code ip} with {@code args}; returns what it printed. */
  private static String ip(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 10 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue()
            + (output.isEmpty() ? "" : ": " + output));
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }
}
