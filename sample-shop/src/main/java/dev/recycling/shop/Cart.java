package dev.recycling.shop;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The products a customer put in the cart: a plain session attribute, so it survives a
 * recycle with the session.
 *
 * @author recycling team
 */
public class Cart implements Serializable {

	private final List<Long> productIds = new ArrayList<>();

	synchronized void add(long productId) {
		this.productIds.add(productId);
	}

	public synchronized int getSize() {
		return this.productIds.size();
	}

	synchronized int clear() {
		int size = this.productIds.size();
		this.productIds.clear();
		return size;
	}

}
