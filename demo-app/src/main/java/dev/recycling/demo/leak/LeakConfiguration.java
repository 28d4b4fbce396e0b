package dev.recycling.demo.leak;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Wires the demo's deliberate leak ({@code demo.leak.bytes-per-request}, off by default):
 * every request under {@code /api/} retains that many bytes in a {@link LeakyCache}.
 *
 * @author recycling team
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LeakProperties.class)
class LeakConfiguration {

	@Bean
	LeakyCache leakyCache(LeakProperties properties) {
		return new LeakyCache(properties.getBytesPerRequest());
	}

	@Bean
	FilterRegistrationBean<OncePerRequestFilter> leakFilter(LeakyCache cache) {
		OncePerRequestFilter filter = new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				chain.doFilter(request, response);
				cache.retain();
			}

		};
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(filter);
		registration.addUrlPatterns("/api/*");
		registration.setName("demoLeakFilter");
		return registration;
	}

}
