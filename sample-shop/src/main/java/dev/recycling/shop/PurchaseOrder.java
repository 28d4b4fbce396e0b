package dev.recycling.shop;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;

/**
 * An order placed from a cart.
 *
 * @author recycling team
 */
@Entity
public class PurchaseOrder {

	@Id
	@GeneratedValue
	private Long id;

	private String customer;

	private int items;

	protected PurchaseOrder() {
	}

	PurchaseOrder(String customer, int items) {
		this.customer = customer;
		this.items = items;
	}

	public Long getId() {
		return this.id;
	}

	public String getCustomer() {
		return this.customer;
	}

	public int getItems() {
		return this.items;
	}

}
