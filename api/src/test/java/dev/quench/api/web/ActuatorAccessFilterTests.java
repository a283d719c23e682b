package dev.quench.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.ApiProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/** Who may read the actuator on the api's own port. */
class ActuatorAccessFilterTests {

  @Test
  void metricsAnswerOnlyLocalClientsByDefaultWhileHealthAnswersEveryone() throws Exception {
    ActuatorAccessFilter filter = filter("loopback");

    assertThat(status(filter, "192.0.2.7", "/actuator/prometheus")).isEqualTo(403);
    assertThat(status(filter, "2001:db8::1", "/actuator/metrics")).isEqualTo(403);
    assertThat(status(filter, "127.0.0.1", "/actuator/prometheus")).isEqualTo(200);
    assertThat(status(filter, "0:0:0:0:0:0:0:1", "/actuator/prometheus")).isEqualTo(200);
    assertThat(status(filter, "192.0.2.7", "/actuator/health")).isEqualTo(200);
    assertThat(status(filter, "192.0.2.7", "/actuator/health/readiness")).isEqualTo(200);
    assertThat(status(filter, "192.0.2.7", "/v1/tasks")).isEqualTo(200);
  }

  @Test
  void theRefusalIsTheApisErrorShape() throws Exception {
    MockHttpServletResponse response = run(filter("loopback"), "192.0.2.7", "/actuator/prometheus");

    assertThat(response.getContentType()).startsWith("application/json");
    assertThat(response.getContentAsString()).contains("\"code\":\"actuator_local_only\"", "\"request_id\"");
  }

  @Test
  void openLetsEveryClientRead() throws Exception {
    assertThat(status(filter("open"), "192.0.2.7", "/actuator/prometheus")).isEqualTo(200);
  }

  @Test
  void onlyLiteralLoopbackAddressesAreLocal() {
    assertThat(ActuatorAccessFilter.loopback("127.0.0.1")).isTrue();
    assertThat(ActuatorAccessFilter.loopback("127.8.9.10")).isTrue();
    assertThat(ActuatorAccessFilter.loopback("::1")).isTrue();
    assertThat(ActuatorAccessFilter.loopback("10.0.0.1")).isFalse();
    assertThat(ActuatorAccessFilter.loopback("localhost")).isFalse();
    assertThat(ActuatorAccessFilter.loopback(null)).isFalse();
  }

  private static ActuatorAccessFilter filter(String access) {
    ApiProperties api = new Binder(new MapConfigurationPropertySource(
        java.util.Map.of("quench.api.actuator-access", access))).bindOrCreate("quench.api", ApiProperties.class);
    return new ActuatorAccessFilter(api, new ErrorResponses(JsonMapper.builder().build()));
  }

  private static int status(ActuatorAccessFilter filter, String remote, String path) throws Exception {
    return run(filter, remote, path).getStatus();
  }

  private static MockHttpServletResponse run(ActuatorAccessFilter filter, String remote, String path)
      throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
    request.setServletPath(path);
    request.setRemoteAddr(remote);
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    return response;
  }
}
