package dev.recycling.testapp;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal web application for recycling tests, run in-process or as a child JVM.
 */
@SpringBootApplication
public class TestApplication {

	static final AtomicInteger starts = new AtomicInteger();

	public static void main(String[] args) {
		SpringApplication.run(TestApplication.class, args);
	}

	@Bean
	StartCounter startCounter(@Value("${testapp.fail-from-start:0}") int failFromStart) {
		int start = starts.incrementAndGet();
		if (failFromStart > 0 && start >= failFromStart) {
			throw new IllegalStateException("Start " + start + " fails on purpose (testapp.fail-from-start)");
		}
		return new StartCounter(start);
	}

	record StartCounter(int start) {
	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
