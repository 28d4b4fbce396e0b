package dev.recycling.testapp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Polls readiness every 100 ms on a new connection, like a load balancer health check, and
 * takes the instance out (stops the load) at the first answer that is not 200.
 *
 * @author recycling team
 */
public final class ReadinessProber extends Thread {

	private final List<String> answers = new CopyOnWriteArrayList<>();

	private final List<Long> times = new CopyOnWriteArrayList<>();

	private final int port;

	private final LoopbackLoad load;

	/**
	 * Create a prober; {@link #start()} starts it.
	 * @param port the loopback port
	 * @param load the load it stops at the first answer that is not 200
	 */
	public ReadinessProber(int port, LoopbackLoad load) {
		super("readiness-prober");
		setDaemon(true);
		this.port = port;
		this.load = load;
	}

	/**
	 * Return the answers so far: the status, or {@code error: ...}.
	 * @return the answers, oldest first
	 */
	public List<String> answers() {
		return this.answers;
	}

	/**
	 * Return when each answer came ({@link System#nanoTime()}).
	 * @return the times, oldest first
	 */
	public List<Long> times() {
		return this.times;
	}

	@Override
	public void run() {
		while (!isInterrupted()) {
			String answer = probe();
			this.times.add(System.nanoTime());
			this.answers.add(answer);
			if (!answer.equals("200")) {
				this.load.stopSending();
			}
			try {
				// the load balancer's probe period
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private String probe() {
		try {
			return Integer.toString(LoopbackLoad.status(this.port, "/actuator/health/readiness"));
		}
		catch (IOException ex) {
			return "error: " + ex.getMessage();
		}
	}

}
