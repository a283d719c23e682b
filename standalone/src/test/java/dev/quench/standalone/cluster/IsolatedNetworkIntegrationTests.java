package dev.quench.standalone.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A process inside the namespace reaches this machine's end of the link, and nothing passes once the link is cut,
 * until it is restored: what the long cluster runs' network cut of a worker rests on. Skipped where no namespace can
 * be made (not root, or no iproute2).
 */
class IsolatedNetworkIntegrationTests {

  @Test
  void aProcessInsideReachesTheHostEndUntilTheLinkIsCutAndAgainOnceRestored() throws Exception {
    assumeTrue(IsolatedNetwork.available(), "network namespaces need root and iproute2's ip with veth");
    try (IsolatedNetwork network = IsolatedNetwork.create();
         ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(InetAddress.getByName(network.hostAddress()), 0));
      Thread acceptor = new Thread(() -> {
        while (!listener.isClosed()) {
          try {
            listener.accept().close();
          } catch (IOException e) {
            return;
          }
        }
      }, "isolated-network-test-acceptor");
      acceptor.setDaemon(true);
      acceptor.start();

      assertThat(connectsFromInside(network, listener.getLocalPort())).as("before the cut").isTrue();
      network.cut();
      assertThat(connectsFromInside(network, listener.getLocalPort())).as("while cut").isFalse();
      network.restore();
      // Like any healed partition: the inside may first have to find the host end's address again (ARP), its
      // neighbour entry having failed while the link was down; a client retries, and so does this.
      await().atMost(15, SECONDS).until(() -> connectsFromInside(network, listener.getLocalPort()));
    }
  }

  /** Whether a TCP connection from inside the namespace to the host end's {@code port} is made within 2 s. */
  private static boolean connectsFromInside(IsolatedNetwork network, int port) throws Exception {
    List<String> connect = new ArrayList<>(List.of("timeout", "2", "bash", "-c",
        "exec 3<>/dev/tcp/" + network.hostAddress() + "/" + port));
    Process process = new ProcessBuilder(network.command(connect)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the probe ended").isTrue();
    return process.exitValue() == 0;
  }
}
