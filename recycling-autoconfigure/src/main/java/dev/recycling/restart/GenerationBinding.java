package dev.recycling.restart;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Tells the {@link Recycler} when a generation's context has finished closing, so that a
 * generation closed without a recycle (shutdown) is recorded with its final counts.
 *
 * @author recycling team
 */
public final class GenerationBinding implements DisposableBean {

	private final Recycler recycler;

	private final ConfigurableApplicationContext context;

	/**
	 * Bind a context to its recycler.
	 * @param recycler the recycler
	 * @param context the generation's context
	 */
	public GenerationBinding(Recycler recycler, ConfigurableApplicationContext context) {
		this.recycler = recycler;
		this.context = context;
	}

	@Override
	public void destroy() {
		this.recycler.contextClosed(this.context);
	}

}
