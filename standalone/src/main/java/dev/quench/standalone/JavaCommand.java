package dev.quench.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The command line of a child JVM that runs a main class of this application: the Kafka broker of the embedded
 * default, the services of a chaos run.
 *
 * <p>From the build ({@code spring-boot:run}, tests) the child gets this JVM's class path. Inside a Spring Boot
 * executable jar ({@code java -jar quench-standalone-*-exec.jar}) the class path is the jar alone, whose classes and
 * libraries are nested in it and read by Boot's launcher: the child then runs the same jar through Boot's
 * {@code PropertiesLauncher}, which starts the class named by {@code loader.main} instead of the jar's own.
 */
public final class JavaCommand {

  static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

  private JavaCommand() {
  }

  /** {@code java <jvmArgs> -cp ... <mainClass> <args>}, with this JVM's own {@code java}. */
  public static List<String> of(List<String> jvmArgs, String mainClass, List<String> args) {
    return of(javaExecutable(), System.getProperty("java.class.path"), jvmArgs, mainClass, args);
  }

  static List<String> of(String java, String classPath, List<String> jvmArgs, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmArgs);
    Path executableJar = executableJar(classPath);
    if (executableJar != null) {
      command.add("-Dloader.main=" + mainClass);
      command.add("-cp");
      command.add(executableJar.toString());
      command.add(PROPERTIES_LAUNCHER);
    } else {
      command.add("-cp");
      command.add(classPath);
      command.add(mainClass);
    }
    command.addAll(args);
    return command;
  }

  /** The Spring Boot executable jar this class path consists of, or null if it is an ordinary class path. */
  static Path executableJar(String classPath) {
    if (classPath == null || classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator)) {
      return null;
    }
    Path path = Path.of(classPath);
    if (!Files.isRegularFile(path)) {
      return null;
    }
    try (JarFile jar = new JarFile(path.toFile())) {
      Manifest manifest = jar.getManifest();
      return manifest != null && manifest.getMainAttributes().getValue("Spring-Boot-Classes") != null ? path : null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
