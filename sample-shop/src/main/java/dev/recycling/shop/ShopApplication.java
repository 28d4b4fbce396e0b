package dev.recycling.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A small shop shaped like the applications users bring to the starter: Spring MVC with
 * Thymeleaf pages and forms, JPA on an embedded database, a login and a cart in the HTTP
 * session, and a scheduled job.
 *
 * @author recycling team
 */
@SpringBootApplication
@EnableScheduling
public class ShopApplication {

	public static void main(String[] args) {
		SpringApplication.run(ShopApplication.class, args);
	}

}
