package dev.recycling.restart.tomcat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.recycling.restart.GenerationSessionScope;
import dev.recycling.restart.SessionScopedBeans;
import jakarta.servlet.http.HttpSession;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.core.StandardHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.SessionScope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SharedSessionManager}: a closing generation's manager removes its
 * session-scoped beans under the mutex that a request's session scope holds, so that it
 * never works on a session while a request of the next generation creates a bean in it.
 */
class SharedSessionManagerTests {

	private static final String CART = "scopedTarget.cart";

	private static final String WISHES = "scopedTarget.wishes";

	private final SharedSessions shared = new SharedSessions();

	@AfterEach
	void unbindRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void removalWaitsForTheSessionObjectThatARequestLocks() throws Exception {
		SharedSessionManager closing = startedManager(1);
		HttpSession session = closing.createSession(null).getSession();
		closingGenerationRemovesItsBeansOnlyAfterTheRequestCreatingABean(closing, session);
	}

	@Test
	void removalWaitsForTheMutexOfSpringsSessionMutexListener() throws Exception {
		SharedSessionManager closing = startedManager(1);
		HttpSession session = closing.createSession(null).getSession();
		session.setAttribute(SessionScopedBeans.MUTEX_ATTRIBUTE, new Object());
		closingGenerationRemovesItsBeansOnlyAfterTheRequestCreatingABean(closing, session);
	}

	// the next generation's request creates its bean while the closing generation's manager stops
	private void closingGenerationRemovesItsBeansOnlyAfterTheRequestCreatingABean(SharedSessionManager closing,
			HttpSession session) throws Exception {
		SharedSessionManager next = startedManager(2);
		AtomicBoolean cartDestroyed = new AtomicBoolean();
		AtomicBoolean wishesDestroyed = new AtomicBoolean();
		GenerationSessionScope firstScope = scope(session, 1);
		firstScope.get(CART, Object::new);
		firstScope.registerDestructionCallback(CART, () -> cartDestroyed.set(true));
		AtomicReference<Throwable> stopFailure = new AtomicReference<>();
		Thread stopper = new Thread(() -> stop(closing, stopFailure), "closing-generation");
		AtomicBoolean removalWaited = new AtomicBoolean();
		GenerationSessionScope nextScope = scope(session, 2);
		nextScope.get(WISHES, () -> {
			// inside the scope's mutex, as Spring creates a bean and registers its destroy method
			Thread request = Thread.currentThread();
			stopper.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> waitsFor(stopper, request) || !stopper.isAlive());
			removalWaited.set(waitsFor(stopper, request) && session.getAttribute(CART) != null);
			nextScope.registerDestructionCallback(WISHES, () -> wishesDestroyed.set(true));
			return new Object();
		});
		stopper.join(Duration.ofSeconds(10).toMillis());
		assertThat(stopper.isAlive()).isFalse();
		assertThat(stopFailure.get()).isNull();
		assertThat(removalWaited).as("the closing manager waited for the request's mutex").isTrue();
		assertThat(cartDestroyed).as("the closing generation's bean destroyed").isTrue();
		assertThat(session.getAttribute(CART)).isNull();
		assertThat(wishesDestroyed).as("the next generation's bean destroyed").isFalse();
		assertThat(session.getAttribute(WISHES)).isNotNull();
		assertThat(next.findSession(session.getId())).as("the session lives on in the next generation").isNotNull();
		next.stop();
	}

	private SharedSessionManager startedManager(int generation) throws LifecycleException {
		SharedSessionManager manager = new SharedSessionManager(this.shared, () -> true, () -> generation);
		StandardContext context = new StandardContext();
		StandardHost host = new StandardHost();
		host.setName("localhost");
		context.setParent(host);
		context.setName("generation-" + generation);
		manager.setContext(context);
		// nothing persisted: this test is about live sessions
		manager.setPathname(null);
		manager.start();
		return manager;
	}

	// the session scope of a request of a generation on the session
	private static GenerationSessionScope scope(HttpSession session, int generation) {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSession(session);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		return new GenerationSessionScope(new SessionScope(), () -> generation);
	}

	private static void stop(SharedSessionManager manager, AtomicReference<Throwable> failure) {
		try {
			manager.stop();
		}
		catch (Throwable ex) {
			failure.set(ex);
		}
	}

	// blocked on a monitor that the other thread holds
	private static boolean waitsFor(Thread thread, Thread owner) {
		ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(thread.getId());
		return info != null && info.getThreadState() == Thread.State.BLOCKED && info.getLockOwnerId() == owner.getId();
	}

}
