package dev.recycling.shop;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.recycling.restart.Generation;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A scheduled job that must not run twice while two generations overlap: it runs only in
 * the generation that takes connections ({@link Generation#isCurrent()}).
 *
 * @author recycling team
 */
@Component
class StockReport {

	// runs of the job by generation, for the tests: JVM-wide on purpose
	static final Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final Generation generation;

	private final ProductRepository products;

	StockReport(Generation generation, ProductRepository products) {
		this.generation = generation;
		this.products = products;
	}

	@Scheduled(fixedDelay = 200)
	void report() {
		if (!this.generation.isCurrent()) {
			return;
		}
		this.products.count();
		runs.computeIfAbsent(this.generation.number(), (number) -> new AtomicInteger()).incrementAndGet();
	}

}
