package dev.recycling.shop;

import java.util.List;

import dev.recycling.analytics.web.ApiUsage;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's catalog as JSON, for partners' applications: each successful call counts as
 * API usage of {@code products} for the environment key the caller sends
 * ({@link ApiUsage#ENVIRONMENT_KEY_HEADER}).
 *
 * @author recycling team
 */
@RestController
class CatalogController {

	private final ProductRepository products;

	CatalogController(ProductRepository products) {
		this.products = products;
	}

	@ApiUsage("products")
	@GetMapping("/api/products")
	List<Product> products() {
		return this.products.findAll();
	}

}
