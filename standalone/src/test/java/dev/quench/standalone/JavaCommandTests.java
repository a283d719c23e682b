package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaCommandTests {

  @TempDir
  Path dir;

  @Test
  void fromTheBuildAChildGetsThisClassPath() {
    String classPath = "target/classes" + java.io.File.pathSeparator + "lib/kafka.jar";

    List<String> command = JavaCommand.of("java", classPath, List.of("-Xmx1g"), "kafka.Kafka", List.of("a"));

    assertThat(command).containsExactly("java", "-Xmx1g", "-cp", classPath, "kafka.Kafka", "a");
  }

  @Test
  void insideAnExecutableJarAChildRunsTheSameJarThroughBootsLauncher() throws IOException {
    Path jar = jar("app-exec.jar", "BOOT-INF/classes/");

    List<String> command = JavaCommand.of("java", jar.toString(), List.of("-Xmx1g"), "kafka.Kafka", List.of("a"));

    assertThat(command).containsExactly("java", "-Xmx1g", "-Dloader.main=kafka.Kafka", "-cp", jar.toString(),
        JavaCommand.PROPERTIES_LAUNCHER, "a");
  }

  @Test
  void anOrdinaryJarIsAnOrdinaryClassPath() throws IOException {
    Path jar = jar("plain.jar", null);

    assertThat(JavaCommand.of("java", jar.toString(), List.of(), "Main", List.of()))
        .containsExactly("java", "-cp", jar.toString(), "Main");
  }

  private Path jar(String name, String bootClasses) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (bootClasses != null) {
      manifest.getMainAttributes().putValue("Spring-Boot-Classes", bootClasses);
    }
    Path jar = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      return jar;
    }
  }
}
