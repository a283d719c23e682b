package dev.quench.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Loopback ports free at this moment, for the brokers and services of a test or a chaos run. */
public final class FreePorts {

  private FreePorts() {
  }

  /** {@code count} different ports that nothing listens on now. */
  public static int[] take(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      // Held together, so the ports differ.
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // Closing a socket never used: nothing to lose.
        }
      }
    }
  }
}
