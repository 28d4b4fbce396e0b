package dev.recycling.demo.flags;

import java.util.List;

import dev.recycling.analytics.web.ApiUsage;
import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The flags API: {@code GET /api/v1/flags} with header {@code X-Environment-Key}. Each call
 * that succeeds is counted as API usage of the resource {@code flags} ({@link ApiUsage}: the
 * starter records it after the response, with the caller's environment key, host and client
 * labels); one answered with an error (a 406 for {@code Accept: text/html}, a 404 for an
 * unknown key) is not, so a client that retries is counted once.
 */
@RestController
@RequestMapping("/api/v1")
class FlagsController {

	static final String ENVIRONMENT_KEY_HEADER = ApiUsage.ENVIRONMENT_KEY_HEADER;

	private final FlagCatalog catalog;

	FlagsController(FlagCatalog catalog) {
		this.catalog = catalog;
	}

	@ApiUsage("flags")
	@GetMapping("/flags")
	List<Flag> flags(@RequestHeader(name = ENVIRONMENT_KEY_HEADER, required = false) @Nullable String environmentKey) {
		String key = requireEnvironmentKey(environmentKey);
		return this.catalog.flagsOf(key).orElseThrow(EnvironmentKeyException::unknown);
	}

	static String requireEnvironmentKey(@Nullable String environmentKey) {
		if (!StringUtils.hasText(environmentKey)) {
			throw EnvironmentKeyException.missing();
		}
		return environmentKey;
	}

}
