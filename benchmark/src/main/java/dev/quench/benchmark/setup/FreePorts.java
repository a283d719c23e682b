package dev.quench.benchmark.setup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Ports nobody listens on right now, so a run never collides with a quench (or anything) already running. */
public final class FreePorts {

  private final Set<Integer> handedOut = new HashSet<>();

  public int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("localhost", 0));
        int port = socket.getLocalPort();
        // The broker takes its controller port from us too: two calls must never return the same one.
        if (handedOut.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port", e);
      }
    }
    throw new IllegalStateException("no free port found");
  }
}
