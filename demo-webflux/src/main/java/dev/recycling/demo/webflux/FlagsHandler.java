package dev.recycling.demo.webflux;

import java.util.List;
import java.util.Map;

import dev.recycling.analytics.web.ApiUsage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /api/v1/flags}: the flags of the caller's environment, counted as API usage
 * once the response has been sent ({@link ApiUsage}).
 *
 * @author recycling team
 */
@RestController
@RequestMapping("/api/v1")
class FlagsHandler {

	static final String ENVIRONMENT_KEY_HEADER = ApiUsage.ENVIRONMENT_KEY_HEADER;

	private static final Map<String, List<Flag>> FLAGS = Map.of("demo-staging",
			List.of(new Flag("dark-mode", true), new Flag("new-checkout", true)), "demo-production",
			List.of(new Flag("dark-mode", true), new Flag("new-checkout", false)));

	@ApiUsage("flags")
	@GetMapping("/flags")
	Mono<List<Flag>> flags(@RequestHeader(name = ENVIRONMENT_KEY_HEADER, required = false) @Nullable String key) {
		if (!StringUtils.hasText(key)) {
			return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"The " + ENVIRONMENT_KEY_HEADER + " header is missing"));
		}
		List<Flag> flags = FLAGS.get(key);
		if (flags == null) {
			return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "Unknown environment key"));
		}
		return Mono.just(flags);
	}

	record Flag(String name, boolean enabled) {
	}

}
