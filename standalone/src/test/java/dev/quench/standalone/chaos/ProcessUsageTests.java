package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A process's usage is read from the kernel's status and the JVM's heap info as they are written. */
class ProcessUsageTests {

  private static final String STATUS = """
      Name:\tjava
      State:\tS (sleeping)
      Pid:\t4242
      VmRSS:\t  312460 kB
      Threads:\t61
      """;

  @Test
  void residentMemoryAndThreadsComeFromTheStatusFile() {
    assertThat(ProcessUsage.statusValue(STATUS, "VmRSS")).isEqualTo(312_460);
    assertThat(ProcessUsage.statusValue(STATUS, "Threads")).isEqualTo(61);
    assertThat(ProcessUsage.statusValue(STATUS, "VmSwap")).isEqualTo(-1);
  }

  @Test
  void aStoppedProcessIsToldFromASleepingOne() {
    assertThat(ProcessUsage.stopped(STATUS)).isFalse();
    assertThat(ProcessUsage.stopped(STATUS.replace("S (sleeping)", "T (stopped)"))).isTrue();
  }

  @Test
  void theSerialCollectorsHeapIsItsGenerationsAddedUpWithoutMetaspace() {
    String heapInfo = """
        4242:
         def new generation   total 19648K, used 512K [0x00000000f0000000, 0x00000000f1550000, 0x00000000f5550000)
          eden space 17472K,   2% used [0x00000000f0000000, 0x00000000f0080000, 0x00000000f1110000)
          from space 2176K,   0% used [0x00000000f1110000, 0x00000000f1110000, 0x00000000f1330000)
          to   space 2176K,   0% used [0x00000000f1330000, 0x00000000f1330000, 0x00000000f1550000)
         tenured generation   total 43712K, used 40960K [0x00000000f5550000, 0x00000000f8000000, 0x0000000100000000)
           the space 43712K,  93% used [0x00000000f5550000, 0x00000000f7d50000, 0x00000000f7d50200, 0x00000000f8000000)
         Metaspace       used 61234K, committed 61888K, reserved 1114112K
          class space    used 7890K, committed 8192K, reserved 1048576K
        """;

    assertThat(ProcessUsage.heapUsedKb(heapInfo)).isEqualTo(512 + 40_960);
  }

  @Test
  void g1sHeapIsItsOneLine() {
    String heapInfo = """
        4242:
         garbage-first heap   total 262144K, used 35840K [0x00000000f0000000, 0x0000000100000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
         Metaspace       used 61234K, committed 61888K, reserved 1114112K
        """;

    assertThat(ProcessUsage.heapUsedKb(heapInfo)).isEqualTo(35_840);
  }

  @Test
  void anAnswerWithoutAHeapIsNone() {
    assertThat(ProcessUsage.heapUsedKb("4242:\ncom.sun.tools.attach.AttachNotSupportedException\n")).isNull();
  }

  @Test
  void thisJvmsOwnUsageIsRead() throws InterruptedException {
    ProcessUsage usage = ProcessUsage.of(ProcessHandle.current().pid(), ProcessUsage.jcmd(), Duration.ofSeconds(60));

    assertThat(usage).isNotNull();
    assertThat(usage.rssKb()).isPositive();
    assertThat(usage.threads()).isPositive();
    assertThat(usage.openFiles()).isPositive();
    if (ProcessUsage.jcmd() != null) {
      assertThat(usage.heapAfterGcKb()).as("heap after GC of this JVM, by jcmd").isPositive();
    }
  }

  @Test
  void aProcessThatIsGoneHasNoUsage() throws InterruptedException {
    assertThat(ProcessUsage.of(Long.MAX_VALUE, null, Duration.ofSeconds(1))).isNull();
  }
}
