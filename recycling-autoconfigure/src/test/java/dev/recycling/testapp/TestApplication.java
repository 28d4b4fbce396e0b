package dev.recycling.testapp;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.recycling.restart.Generation;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.annotation.SessionScope;

/**
 * A minimal web application for recycling tests, run in-process or as a child JVM.
 */
// H2 is on the test class path for the fleet's leases; this application has no database
@SpringBootApplication(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class TestApplication {

	public static void main(String[] args) {
		SpringApplication.run(TestApplication.class, args);
	}

	@Bean
	StartCounter startCounter(@Value("${testapp.fail-from-start:0}") int failFromStart) {
		return new StartCounter(StartFailures.start(failFromStart));
	}

	@Bean
	ApplicationRunner failingRunner(Generation generation, @Value("${testapp.fail-runner:}") String failRunner) {
		return StartFailures.failingRunner(generation, failRunner);
	}

	record StartCounter(int start) {
	}

	/**
	 * A session-scoped bean, injected with a bean of its generation: kept across a recycle
	 * it would keep a closed generation alive.
	 */
	@Component
	@SessionScope
	static class SessionVisits {

		static final AtomicInteger created = new AtomicInteger();

		static final AtomicInteger destroyed = new AtomicInteger();

		private final Generation generation;

		SessionVisits(Generation generation) {
			this.generation = generation;
			created.incrementAndGet();
		}

		@PreDestroy
		void destroy() {
			destroyed.incrementAndGet();
		}

		int generation() {
			return this.generation.number();
		}

	}

	@RestController
	static class SessionController {

		private final SessionVisits visits;

		SessionController(SessionVisits visits) {
			this.visits = visits;
		}

		// "count generation": the session's count after this request, and the generation of
		// the session-scoped bean that served it
		@GetMapping("/session/count")
		String count(HttpSession session) {
			AtomicInteger count = (AtomicInteger) session.getAttribute("count");
			if (count == null) {
				count = new AtomicInteger();
				session.setAttribute("count", count);
			}
			return count.incrementAndGet() + " " + this.visits.generation();
		}

	}

	@RestController
	static class HelloController {

		private static final Logger logger = LoggerFactory.getLogger(HelloController.class);

		private static final AtomicLong logged = new AtomicLong();

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

		// the thread serving the request, e.g. "VirtualThread[#83,tomcat-handler-3]/runnable@..."
		@GetMapping("/thread")
		String thread() {
			return Thread.currentThread().toString();
		}

		// one numbered log line per request, to find lines lost while another generation starts
		@GetMapping("/logged")
		String logged() {
			logger.info("logged request {}", logged.incrementAndGet());
			return "logged";
		}

	}

}
