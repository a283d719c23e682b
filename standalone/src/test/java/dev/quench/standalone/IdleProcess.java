package dev.quench.standalone;

import java.io.IOException;
import java.nio.file.Path;

/** A JVM that does nothing until its standard input closes: a stand-in for a launcher that can be killed. */
final class IdleProcess {

  private IdleProcess() {
  }

  public static void main(String[] args) throws IOException {
    while (System.in.read() >= 0) {
      // Waiting for the end of input is the whole job.
    }
  }

  static Process start() throws IOException {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), IdleProcess.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
