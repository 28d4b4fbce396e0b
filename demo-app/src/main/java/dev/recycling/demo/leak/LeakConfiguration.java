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
 * Wires the demo's deliberate leaks, both off by default: every request under {@code /api/}
 * retains {@code demo.leak.bytes-per-request} bytes in a {@link LeakyCache} (freed with its
 * generation), and every generation adds {@code demo.leak.static-bytes-per-generation} bytes
 * to a {@link StaticLeak} (never freed).
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
	StaticLeak staticLeak(LeakProperties properties) {
		return new StaticLeak(properties.getStaticBytesPerGeneration());
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
