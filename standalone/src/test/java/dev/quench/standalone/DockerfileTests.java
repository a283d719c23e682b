package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile's dependency layer, checked without a Docker engine: Maven refuses a reactor whose module poms are
 * missing, so a module added to the root pom but not copied there breaks every image build, and a step that hides
 * its failure ships an image built from half a build.
 */
class DockerfileTests {

  private static final Path ROOT = Path.of("..");

  @Test
  void theDependencyLayerCopiesEveryModulePomTheRootPomLists() throws IOException {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    List<String> modules = modules(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(modules).isNotEmpty();
    for (String module : modules) {
      assertThat(dockerfile).as("the Dockerfile copies %s/pom.xml before resolving dependencies", module)
          .containsPattern("(?m)^COPY " + Pattern.quote(module + "/pom.xml") + " " + Pattern.quote(module + "/")
              + "\\s*$");
    }
    int copiedPoms = dockerfile.indexOf("COPY " + modules.get(modules.size() - 1) + "/pom.xml");
    assertThat(copiedPoms).as("every pom is copied before the dependencies are resolved")
        .isLessThan(dockerfile.indexOf("dependency:go-offline"));
  }

  @Test
  void noStepHidesItsFailure() throws IOException {
    assertThat(Files.readString(ROOT.resolve("Dockerfile"))).doesNotContain("|| true").doesNotContain("|| :");
  }

  private static List<String> modules(String pom) {
    Matcher matcher = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
    return matcher.results().map(m -> m.group(1).trim()).toList();
  }
}
