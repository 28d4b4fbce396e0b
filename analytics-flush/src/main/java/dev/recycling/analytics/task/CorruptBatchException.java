package dev.recycling.analytics.task;

import java.io.IOException;

/**
 * Thrown when bytes do not decode to a batch: truncated, damaged, or of an unknown version.
 *
 * @author recycling team
 */
public class CorruptBatchException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what is wrong
	 */
	public CorruptBatchException(String message) {
		super(message);
	}

	/**
	 * Create an exception.
	 * @param message what is wrong
	 * @param cause the underlying failure
	 */
	public CorruptBatchException(String message, Throwable cause) {
		super(message, cause);
	}

}
