package dev.recycling.demo.flags;

import org.springframework.http.HttpStatus;

/**
 * Thrown when a request's {@code X-Environment-Key} is missing or names no environment.
 */
class EnvironmentKeyException extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	private EnvironmentKeyException(HttpStatus status, String title, String detail) {
		super(detail);
		this.status = status;
		this.title = title;
	}

	static EnvironmentKeyException missing() {
		return new EnvironmentKeyException(HttpStatus.BAD_REQUEST, "Missing environment key",
				"Send the environment key in the " + FlagsController.ENVIRONMENT_KEY_HEADER + " header.");
	}

	static EnvironmentKeyException unknown() {
		return new EnvironmentKeyException(HttpStatus.NOT_FOUND, "Unknown environment key",
				"No environment has the key sent in the " + FlagsController.ENVIRONMENT_KEY_HEADER
						+ " header. Check the key in your client's configuration.");
	}

	HttpStatus getStatus() {
		return this.status;
	}

	String getTitle() {
		return this.title;
	}

}
