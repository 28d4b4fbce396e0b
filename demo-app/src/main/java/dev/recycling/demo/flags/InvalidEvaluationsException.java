package dev.recycling.demo.flags;

/**
 * Thrown when a body of feature evaluations is not an object of known features to
 * non-negative whole counts.
 */
class InvalidEvaluationsException extends RuntimeException {

	InvalidEvaluationsException(String message) {
		super(message);
	}

}
