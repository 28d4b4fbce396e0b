package dev.recycling.demo.flags;

import org.springframework.http.HttpStatus;

/**
 * A client mistake or an unavailable dependency, answered as a problem response with its
 * status and title.
 */
class ApiException extends RuntimeException {

	private final HttpStatus status;

	private final String title;

	ApiException(HttpStatus status, String title, String detail) {
		super(detail);
		this.status = status;
		this.title = title;
	}

	static ApiException bodyTooLarge(long maxBytes) {
		return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
				"A report of feature evaluations may hold at most " + maxBytes
						+ " bytes; send the counts in several reports.");
	}

	static ApiException unavailable(String what) {
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Usage temporarily unavailable",
				"The usage database cannot be read right now (" + what + "); try again later.");
	}

	HttpStatus getStatus() {
		return this.status;
	}

	String getTitle() {
		return this.title;
	}

}
