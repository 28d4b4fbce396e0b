package dev.recycling.restart;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.Ordered;

/**
 * Creates the {@link Recycler} of a {@code SpringApplication} when it first starts and
 * hands it to every context the application runs, as the singleton bean
 * {@value #BEAN_NAME}, with the context's {@link Generation}. With recycling switched off
 * ({@code recycling.enabled=false}) a context gets no recycler, and its generation is the
 * only one, always current.
 * <p>
 * Registered in {@code META-INF/spring.factories}, so one instance lives as long as the
 * {@code SpringApplication} itself: across all its runs.
 *
 * @author recycling team
 */
public class RecyclerApplicationListener implements SmartApplicationListener, Ordered {

	/**
	 * Name of the {@link Recycler} bean in each generation's context.
	 */
	public static final String BEAN_NAME = "recycler";

	private volatile @Nullable Recycler recycler;

	private volatile boolean enabled = true;

	@Override
	public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
		return ApplicationStartingEvent.class.isAssignableFrom(eventType)
				|| ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationPreparedEvent.class.isAssignableFrom(eventType)
				|| ApplicationReadyEvent.class.isAssignableFrom(eventType)
				|| ContextClosedEvent.class.isAssignableFrom(eventType);
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationStartingEvent starting) {
			Recycler recycler = this.recycler;
			if (recycler == null) {
				this.recycler = new Recycler(starting.getSpringApplication(), starting.getArgs(), System::exit);
			}
			else {
				recycler.applicationStarting();
			}
		}
		else if (event instanceof ApplicationEnvironmentPreparedEvent environmentPrepared) {
			this.enabled = environmentPrepared.getEnvironment().getProperty("recycling.enabled", Boolean.class, true);
		}
		else if (event instanceof ApplicationPreparedEvent prepared) {
			Recycler recycler = this.recycler;
			ConfigurableApplicationContext context = prepared.getApplicationContext();
			if (recycler != null && this.enabled) {
				context.getBeanFactory().registerSingleton(BEAN_NAME, recycler);
				context.getBeanFactory().registerSingleton(Generation.BEAN_NAME, recycler.contextPrepared(context));
			}
			else if (!this.enabled) {
				// switched off: code that injects its generation still starts
				context.getBeanFactory().registerSingleton(Generation.BEAN_NAME, Generation.withoutRecycling(context));
			}
		}
		else if (event instanceof ApplicationReadyEvent ready) {
			Recycler recycler = this.recycler;
			if (recycler != null && this.enabled) {
				recycler.contextReady(ready.getApplicationContext());
			}
		}
		else if (event instanceof ContextClosedEvent closed
				&& closed.getApplicationContext() instanceof ConfigurableApplicationContext context) {
			Recycler recycler = this.recycler;
			if (recycler != null) {
				recycler.contextClosing(context);
			}
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

}
