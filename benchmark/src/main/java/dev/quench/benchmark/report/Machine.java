package dev.quench.benchmark.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine a run ran on, as far as the JVM can tell. Figures from different machines are not comparable; figures
 * from one machine under different load hardly are, hence the load average.
 *
 * @param cores        processors available to the JVM
 * @param cpu          the CPU model, where the OS says
 * @param memoryBytes  physical memory
 * @param os           name, version and architecture
 * @param java         runtime vendor and version, and the VM
 * @param maxHeapBytes the benchmark JVM's -Xmx
 * @param jvmArguments the benchmark JVM's arguments
 * @param loadAverage  the one-minute load average when the run started: another process busy on the machine shows
 */
public record Machine(int cores, String cpu, long memoryBytes, String os, String java, long maxHeapBytes,
                      List<String> jvmArguments, double loadAverage) {

  public static Machine current() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    long memory = -1;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memory = sun.getTotalMemorySize();
    }
    return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), memory,
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version") + " ("
            + System.getProperty("java.vm.name") + ")",
        Runtime.getRuntime().maxMemory(), ManagementFactory.getRuntimeMXBean().getInputArguments(),
        os.getSystemLoadAverage());
  }

  public static double loadNow() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** {@code 2 cores (Intel Xeon ...), 23.5 GiB RAM, Linux 6.1 amd64, Java 17.0.15}. */
  public String summary() {
    return cores + " cores" + (cpu.isEmpty() ? "" : " (" + cpu + ")") + ", "
        + String.format(Locale.ROOT, "%.1f GiB RAM", memoryBytes / (1024.0 * 1024 * 1024)) + ", " + os + ", "
        + java + ", heap max " + (maxHeapBytes >> 20) + " MiB"
        + String.format(Locale.ROOT, ", load average %.2f at start", loadAverage);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("cores", cores);
    map.put("cpu", cpu);
    map.put("memory_bytes", memoryBytes);
    map.put("os", os);
    map.put("java", java);
    map.put("max_heap_bytes", maxHeapBytes);
    map.put("jvm_arguments", jvmArguments);
    map.put("load_average_at_start", loadAverage);
    return map;
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the core count and the OS line will have to do.
    }
    return "";
  }
}
