package dev.recycling.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/**
 * A product, seeded by {@code data.sql}.
 *
 * @author recycling team
 */
@Entity
public class Product {

	@Id
	private Long id;

	private String name;

	protected Product() {
	}

	public Long getId() {
		return this.id;
	}

	public String getName() {
		return this.name;
	}

}
