package dev.recycling.shop;

import jakarta.servlet.http.HttpSession;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The shop's pages and forms: log in, browse, fill a cart, order, see the order.
 *
 * @author recycling team
 */
@Controller
class ShopController {

	private static final String USER = "user";

	private static final String CART = "cart";

	private final ProductRepository products;

	private final OrderRepository orders;

	ShopController(ProductRepository products, OrderRepository orders) {
		this.products = products;
		this.orders = orders;
	}

	@PostMapping("/login")
	String login(@RequestParam String name, HttpSession session) {
		session.setAttribute(USER, name);
		session.setAttribute(CART, new Cart());
		return "redirect:/products";
	}

	@GetMapping("/products")
	String products(HttpSession session, Model model) {
		model.addAttribute("user", user(session));
		model.addAttribute("products", this.products.findAll());
		return "products";
	}

	@PostMapping("/cart")
	String addToCart(@RequestParam long productId, HttpSession session) {
		user(session);
		if (!this.products.existsById(productId)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "No product " + productId);
		}
		cart(session).add(productId);
		return "redirect:/cart";
	}

	@GetMapping("/cart")
	String cart(HttpSession session, Model model) {
		model.addAttribute("user", user(session));
		model.addAttribute("cart", cart(session));
		return "cart";
	}

	@PostMapping("/orders")
	String order(HttpSession session) {
		String user = user(session);
		PurchaseOrder order = this.orders.save(new PurchaseOrder(user, cart(session).clear()));
		return "redirect:/orders/" + order.getId();
	}

	@GetMapping("/orders/{id}")
	String order(@PathVariable long id, HttpSession session, Model model) {
		PurchaseOrder order = this.orders.findById(id)
			.filter((found) -> found.getCustomer().equals(user(session)))
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
		model.addAttribute("order", order);
		return "order";
	}

	private static String user(HttpSession session) {
		Object user = session.getAttribute(USER);
		if (user == null) {
			throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "Log in first");
		}
		return (String) user;
	}

	private static Cart cart(HttpSession session) {
		return (Cart) session.getAttribute(CART);
	}

}
