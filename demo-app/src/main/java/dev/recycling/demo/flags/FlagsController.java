package dev.recycling.demo.flags;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ProblemDetail;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The flags API: {@code GET /api/v1/flags} with header {@code X-Environment-Key}.
 */
@RestController
@RequestMapping("/api/v1")
class FlagsController {

	static final String ENVIRONMENT_KEY_HEADER = "X-Environment-Key";

	private final FlagCatalog catalog;

	FlagsController(FlagCatalog catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/flags")
	List<Flag> flags(@RequestHeader(name = ENVIRONMENT_KEY_HEADER, required = false) @Nullable String environmentKey) {
		if (!StringUtils.hasText(environmentKey)) {
			throw EnvironmentKeyException.missing();
		}
		return this.catalog.flagsOf(environmentKey).orElseThrow(EnvironmentKeyException::unknown);
	}

	@ExceptionHandler
	ProblemDetail handleEnvironmentKey(EnvironmentKeyException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.getStatus(), ex.getMessage());
		problem.setTitle(ex.getTitle());
		return problem;
	}

}
