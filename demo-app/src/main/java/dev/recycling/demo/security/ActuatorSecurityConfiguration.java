package dev.recycling.demo.security;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Protects the actuator with HTTP basic and the {@value OperatorProperties#ROLE} role. Open
 * to anyone: health with its readiness and liveness probes (details only for the operator),
 * and the Prometheus scrape. Everything else, reads included (the recycling and analytics
 * views, and heap dumps, thread dumps or the environment once a user exposes them), needs
 * the operator. The demo's API stays open.
 *
 * @author recycling team
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OperatorProperties.class)
class ActuatorSecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ActuatorSecurityConfiguration.class);

	private static final String PLAIN = "plain";

	@Bean
	@Order(1)
	SecurityFilterChain actuatorSecurity(HttpSecurity http) {
		return http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(EndpointRequest.to("health", "prometheus"))
				.permitAll()
				.anyRequest()
				.hasRole(OperatorProperties.ROLE))
			.httpBasic(Customizer.withDefaults())
			// no session, no cookie: a CSRF token protects nothing here
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain apiSecurity(HttpSecurity http) {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	UserDetailsService operators(OperatorProperties operator) {
		String password = operator.getPassword();
		if (password == null || password.isEmpty()) {
			logger.info("No demo.operator.password: actuator write operations (recycle, flush) are refused");
			return new InMemoryUserDetailsManager();
		}
		// a plain password is compared in constant time; hashing it here would add a bcrypt
		// round to every generation's start
		String stored = password.startsWith("{") ? password : "{" + PLAIN + "}" + password;
		return new InMemoryUserDetailsManager(
				User.withUsername(operator.getUsername()).password(stored).roles(OperatorProperties.ROLE).build());
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		Map<String, PasswordEncoder> encoders = new HashMap<>();
		encoders.put("bcrypt", new BCryptPasswordEncoder());
		encoders.put("argon2", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8());
		encoders.put("pbkdf2", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8());
		encoders.put(PLAIN, new ConstantTimePlainPasswordEncoder());
		return new DelegatingPasswordEncoder("bcrypt", encoders);
	}

}
