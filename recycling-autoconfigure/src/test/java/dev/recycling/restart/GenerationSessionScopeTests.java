package dev.recycling.restart;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.SessionScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	@Test
	void twoFirstRequestsOfAGenerationShareOneBeanAndNeitherDestroysTheOthers() throws Exception {
		GenerationSessionScope first = new GenerationSessionScope(new SessionScope(), () -> 1);
		first.get(NAME, Object::new);
		completeRequest();
		GenerationSessionScope second = new GenerationSessionScope(new SessionScope(), () -> 2);
		CountDownLatch creating = new CountDownLatch(1);
		CountDownLatch create = new CountDownLatch(1);
		AtomicBoolean destroyed = new AtomicBoolean();
		AtomicReference<Object> one = new AtomicReference<>();
		AtomicReference<Object> other = new AtomicReference<>();
		Thread request = new Thread(() -> {
			bind();
			one.set(second.get(NAME, () -> {
				second.registerDestructionCallback(NAME, () -> destroyed.set(true));
				creating.countDown();
				awaitUninterruptibly(create);
				return new Object();
			}));
		}, "second-generation-request");
		request.start();
		assertThat(creating.await(10, TimeUnit.SECONDS)).isTrue();
		// a concurrent request of the same session: it found the first generation's bean too
		Thread concurrent = new Thread(() -> {
			bind();
			other.set(second.get(NAME, Object::new));
		}, "concurrent-request");
		concurrent.start();
		await().until(() -> concurrent.getState() == Thread.State.BLOCKED);
		create.countDown();
		request.join(10_000);
		concurrent.join(10_000);
		assertThat(other.get()).isNotNull().isSameAs(one.get());
		assertThat(destroyed).as("the bean in use destroyed").isFalse();
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
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
