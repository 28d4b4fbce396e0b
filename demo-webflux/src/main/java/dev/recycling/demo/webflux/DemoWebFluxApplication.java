package dev.recycling.demo.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo's flag API on WebFlux and Reactor Netty: the same recycling, drain and usage
 * counting as the servlet demo, on Spring Boot's other web stack.
 *
 * @author recycling team
 */
@SpringBootApplication
public class DemoWebFluxApplication {

	public static void main(String[] args) {
		SpringApplication.run(DemoWebFluxApplication.class, args);
	}

}
