package dev.recycling.reactiveapp;

import java.util.concurrent.atomic.AtomicInteger;

import dev.recycling.restart.Generation;
import dev.recycling.testapp.StartFailures;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;

/**
 * The WebFlux counterpart of the servlet test application ({@code TestApplication}), run
 * by {@code RecyclingApps} when the test classpath has no servlet stack: the same paths and
 * the same deliberate start failures, on Reactor Netty.
 *
 * @author recycling team
 */
@SpringBootApplication(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
public class ReactiveTestApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReactiveTestApplication.class, args);
	}

	@Bean
	Integer startNumber(@Value("${testapp.fail-from-start:0}") int failFromStart) {
		return StartFailures.start(failFromStart);
	}

	@Bean
	ApplicationRunner failingRunner(Generation generation, @Value("${testapp.fail-runner:}") String failRunner) {
		return StartFailures.failingRunner(generation, failRunner);
	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		Mono<String> hello() {
			return Mono.just("hello");
		}

	}

	@RestController
	static class SessionController {

		private final Generation generation;

		SessionController(Generation generation) {
			this.generation = generation;
		}

		// "count generation": the session's count after this request, and the generation that served it
		@GetMapping("/session/count")
		Mono<String> count(WebSession session) {
			AtomicInteger count = (AtomicInteger) session.getAttributes()
				.computeIfAbsent("count", (key) -> new AtomicInteger());
			return Mono.just(count.incrementAndGet() + " " + this.generation.number());
		}

	}

}
