package dev.recycling.restart.netty;

import java.time.Duration;

import dev.recycling.restart.Recycler;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.http.client.ReactorResourceFactory;

/**
 * Reactor Netty's event loops and client connection pool, shared by every generation: a
 * recycle neither waits for the loops' quiet period (two seconds by default) nor starts new
 * loop threads, and two overlapping generations never dispose what the other uses. They are
 * disposed when the JVM stops serving.
 *
 * @author recycling team
 */
public final class SharedReactorResources {

	private @Nullable LoopResources loops;

	private @Nullable ConnectionProvider connections;

	/**
	 * Return the resources a recycler's generations share, created by the first that asks.
	 * @param recycler the recycler
	 * @return the shared resources
	 */
	public static SharedReactorResources of(Recycler recycler) {
		return recycler.shared(SharedReactorResources.class, SharedReactorResources::new);
	}

	/**
	 * Return the shared event loops, created on first use.
	 * @return the loops
	 */
	public synchronized LoopResources loops() {
		LoopResources loops = this.loops;
		if (loops == null) {
			loops = LoopResources.create("webflux-http");
			this.loops = loops;
		}
		return loops;
	}

	/**
	 * Return a resource factory for one generation over the shared resources; it does not
	 * dispose them when its context closes.
	 * @return the factory
	 */
	public synchronized ReactorResourceFactory newFactory() {
		ConnectionProvider connections = this.connections;
		if (connections == null) {
			connections = ConnectionProvider.create("webflux", 500);
			this.connections = connections;
		}
		ReactorResourceFactory factory = new ReactorResourceFactory();
		factory.setUseGlobalResources(false);
		factory.setLoopResources(loops());
		factory.setConnectionProvider(connections);
		return factory;
	}

	/**
	 * Dispose the shared resources (the JVM stops serving); a later generation gets new ones.
	 * @param quietPeriod the loops' quiet period
	 * @param timeout the longest wait for the loops to stop
	 */
	public synchronized void dispose(Duration quietPeriod, Duration timeout) {
		ConnectionProvider connections = this.connections;
		LoopResources loops = this.loops;
		this.connections = null;
		this.loops = null;
		if (connections != null) {
			connections.disposeLater().block(timeout);
		}
		if (loops != null) {
			loops.disposeLater(quietPeriod, timeout).block(timeout.plus(quietPeriod));
		}
	}

}
