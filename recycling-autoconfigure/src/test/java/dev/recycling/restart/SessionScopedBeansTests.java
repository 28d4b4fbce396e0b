package dev.recycling.restart;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.SessionScope;

import static org.assertj.core.api.Assertions.assertThat;

class SessionScopedBeansTests {

	private static final String CART = "scopedTarget.cart";

	private static final String WISHES = "scopedTarget.wishes";

	@AfterEach
	void unbindRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void aClosingGenerationRemovesItsOwnBeansAndLeavesTheNextGenerationsBeans() {
		MockHttpSession session = new MockHttpSession();
		session.setAttribute("count", 7);
		AtomicBoolean cartDestroyed = bean(session, 1, CART);
		// while two generations overlap, the next one serves the same session with its own bean
		AtomicBoolean wishesDestroyed = bean(session, 2, WISHES);
		Object wishes = session.getAttribute(WISHES);
		SessionScopedBeans.removeBeansOf(SessionScopedBeans.of(session), 1);
		assertThat(cartDestroyed).isTrue();
		assertThat(session.getAttribute(CART)).isNull();
		assertThat(Collections.list(session.getAttributeNames())).noneMatch((name) -> name.endsWith(CART));
		assertThat(wishesDestroyed).as("the next generation's bean destroyed").isFalse();
		assertThat(session.getAttribute(WISHES)).isSameAs(wishes);
		assertThat(session.getAttribute(GenerationSessionScope.GENERATION_PREFIX + WISHES)).isEqualTo(2);
		assertThat(session.getAttribute("count")).isEqualTo(7);
	}

	@Test
	void aBeanWithoutAGenerationMarkIsRemoved() {
		MockHttpSession session = new MockHttpSession();
		AtomicBoolean destroyed = new AtomicBoolean();
		bind(session);
		SessionScope scope = new SessionScope();
		scope.get(CART, Object::new);
		scope.registerDestructionCallback(CART, () -> destroyed.set(true));
		SessionScopedBeans.removeBeansOf(SessionScopedBeans.of(session), 3);
		assertThat(destroyed).isTrue();
		assertThat(session.getAttribute(CART)).isNull();
	}

	// a bean of a generation in the session, as a request of that generation leaves it
	private static AtomicBoolean bean(MockHttpSession session, int generation, String name) {
		bind(session);
		GenerationSessionScope scope = new GenerationSessionScope(new SessionScope(), () -> generation);
		scope.get(name, Object::new);
		AtomicBoolean destroyed = new AtomicBoolean();
		scope.registerDestructionCallback(name, () -> destroyed.set(true));
		((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).requestCompleted();
		return destroyed;
	}

	private static void bind(MockHttpSession session) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
	}

}
