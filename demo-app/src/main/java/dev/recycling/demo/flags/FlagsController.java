package dev.recycling.demo.flags;

import java.util.List;

import dev.recycling.analytics.web.UsageRecorder;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The flags API: {@code GET /api/v1/flags} with header {@code X-Environment-Key}. Each call
 * that succeeds is counted as API usage of the resource {@code flags}; one answered with an
 * error (a 406 for {@code Accept: text/html}, a 404 for an unknown key) is not, so a client
 * that retries is counted once.
 */
@RestController
@RequestMapping("/api/v1")
class FlagsController {

	static final String ENVIRONMENT_KEY_HEADER = "X-Environment-Key";

	private final FlagCatalog catalog;

	// absent when recycling.enabled=false, the baseline of the overhead benchmark; looked up
	// once: an ObjectProvider resolves the bean again on every call (4 % of a request's time)
	private final @Nullable UsageRecorder usage;

	FlagsController(FlagCatalog catalog, ObjectProvider<UsageRecorder> usage) {
		this.catalog = catalog;
		this.usage = usage.getIfAvailable();
	}

	@GetMapping("/flags")
	List<Flag> flags(@RequestHeader(name = ENVIRONMENT_KEY_HEADER, required = false) @Nullable String environmentKey,
			HttpServletRequest request) {
		String key = requireEnvironmentKey(environmentKey);
		List<Flag> flags = this.catalog.flagsOf(key).orElseThrow(EnvironmentKeyException::unknown);
		if (this.usage != null) {
			// host and client labels from the request's headers (Host, X-Client-Name,
			// X-Client-Version, User-Agent)
			this.usage.apiRequest(request, "flags", key);
		}
		return flags;
	}

	static String requireEnvironmentKey(@Nullable String environmentKey) {
		if (!StringUtils.hasText(environmentKey)) {
			throw EnvironmentKeyException.missing();
		}
		return environmentKey;
	}

}
