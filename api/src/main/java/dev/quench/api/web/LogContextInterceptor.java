package dev.quench.api.web;

import dev.quench.api.logging.LogContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Names the task in the log context of any request whose route has a {@code {task_id}} (a rule, so an endpoint to come
 * is covered without being listed), before its handler runs. The request id filter clears it with the rest.
 */
@Configuration(proxyBeanMethods = false)
class LogContextInterceptor implements WebMvcConfigurer, HandlerInterceptor {

  static final String TASK_ID_VARIABLE = "task_id";

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(this);
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables
        && variables.get(TASK_ID_VARIABLE) instanceof String taskId) {
      LogContext.put(LogContext.TASK_ID, taskId);
    }
    return true;
  }
}
