package dev.quench.api.console;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the console's files. The api turns Spring's default static mappings off
 * ({@code spring.web.resources.add-mappings=false}): only this folder is served, at this path, nothing else on the
 * classpath.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = ConsoleConfiguration.ENABLED, matchIfMissing = true)
class ConsoleConfiguration implements WebMvcConfigurer {

  static final String ENABLED = "quench.api.console.enabled";
  static final String PATH = "/console";
  static final String FOLDER = "static/console/";

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    // Revalidated on every load (Last-Modified): an upgraded api never runs next to a cached older script.
    registry.addResourceHandler(PATH + "/**").addResourceLocations("classpath:/" + FOLDER)
        .setCacheControl(CacheControl.noCache());
  }

  @Bean
  ConsoleHeaders consoleHeaders() {
    return new ConsoleHeaders();
  }
}
