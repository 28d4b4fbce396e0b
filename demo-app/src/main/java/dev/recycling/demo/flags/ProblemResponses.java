package dev.recycling.demo.flags;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns the API's exceptions into RFC 9457 problem responses.
 */
@RestControllerAdvice
class ProblemResponses {

	@ExceptionHandler
	ProblemDetail handleEnvironmentKey(EnvironmentKeyException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.getStatus(), ex.getMessage());
		problem.setTitle(ex.getTitle());
		return problem;
	}

	@ExceptionHandler
	ProblemDetail handleInvalidEvaluations(InvalidEvaluationsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid feature evaluations");
		return problem;
	}

}
