package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcStatTests {

  @Test
  void statFieldsAreCountedFromTheLastParenthesis() {
    String line = "4242 (java) (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 0 0 20 0 80 0 12345 1 2 3";
    assertThat(ProcStat.userPlusSystemTicks(line)).isEqualTo(1234 + 567);
    assertThat(ProcStat.userPlusSystemTicks("1 (a b) R 0 1 1 0 -1 0 0 0 0 0 7 3 0 0")).isEqualTo(10);
  }

  @Test
  void thisJvmReadsItsOwnStat() {
    assertThat(ProcStat.ticks().perSecond()).isPositive();
    if (Files.exists(Path.of("/proc/self/stat"))) {
      assertThat(ProcStat.cpuNanos("self")).isPositive();
    }
    assertThat(ProcStat.cpuNanos("no-such-pid")).isEqualTo(-1);
  }
}
