package dev.recycling.demo.flags;

import org.apache.tomcat.util.http.InvalidParameterException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
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
	ResponseEntity<ProblemDetail> handleApi(ApiException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.getStatus(), ex.getMessage());
		problem.setTitle(ex.getTitle());
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.getStatus());
		if (ex.getStatus() == HttpStatus.SERVICE_UNAVAILABLE) {
			response.header(HttpHeaders.RETRY_AFTER, "5");
		}
		return response.body(problem);
	}

	// Tomcat: a query string that does not decode, such as ?environment=%zz
	@ExceptionHandler
	ProblemDetail handleUndecodableParameter(InvalidParameterException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"A request parameter is not validly percent-encoded.");
		problem.setTitle("Malformed request parameter");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail handleInvalidEvaluations(InvalidEvaluationsException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
		problem.setTitle("Invalid feature evaluations");
		return problem;
	}

}
