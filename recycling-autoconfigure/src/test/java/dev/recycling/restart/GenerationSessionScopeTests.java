package dev.recycling.restart;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.SessionScope;

import static org.assertj.core.api.Assertions.assertThat;

class GenerationSessionScopeTests {

	private static final String NAME = "scopedTarget.cart";

	private final MockHttpSession session = new MockHttpSession();

	@BeforeEach
	void bindRequest() {
		bind();
	}

	@AfterEach
	void unbindRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void aBeanOfAnotherGenerationIsDestroyedAndReplacedByOneOfThisGeneration() {
		GenerationSessionScope first = new GenerationSessionScope(new SessionScope(), () -> 1);
		Object firstBean = first.get(NAME, Object::new);
		AtomicBoolean destroyed = new AtomicBoolean();
		first.registerDestructionCallback(NAME, () -> destroyed.set(true));
		completeRequest();
		GenerationSessionScope second = new GenerationSessionScope(new SessionScope(), () -> 2);
		Object secondBean = second.get(NAME, Object::new);
		assertThat(secondBean).isNotSameAs(firstBean);
		assertThat(destroyed).isTrue();
		assertThat(second.get(NAME, Object::new)).isSameAs(secondBean);
	}

	@Test
	void aBeanOfThisGenerationIsKept() {
		GenerationSessionScope scope = new GenerationSessionScope(new SessionScope(), () -> 3);
		Object bean = scope.get(NAME, Object::new);
		completeRequest();
		assertThat(scope.get(NAME, Object::new)).isSameAs(bean);
		assertThat(this.session.getAttribute(GenerationSessionScope.GENERATION_PREFIX + NAME)).isEqualTo(3);
	}

	private void completeRequest() {
		((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).requestCompleted();
		bind();
	}

	private void bind() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(this.session);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
	}

}
