package dev.recycling.testapp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A Spring Boot application in a real child JVM, for what only a process can show: its
 * exit status, its reaction to signals.
 */
public final class ChildJvm implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("started on port (\\d+)");

	private final Process process;

	private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();

	private final CompletableFuture<Integer> port = new CompletableFuture<>();

	private final Thread reader;

	private ChildJvm(Process process) {
		this.process = process;
		this.reader = new Thread(this::readOutput, "child-jvm-output");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start the test application in a child JVM on a random port.
	 * @param args application arguments
	 * @return the child
	 * @throws IOException if the JVM cannot be started
	 */
	public static ChildJvm start(String... args) throws IOException {
		return startMain(testApplication(), args);
	}

	/**
	 * Return the test application of this classpath: the servlet one, or without the servlet
	 * stack (the Netty tests) the WebFlux one.
	 * @return the main class's name
	 */
	public static String testApplication() {
		try {
			Class.forName("org.springframework.web.servlet.DispatcherServlet", false, ChildJvm.class.getClassLoader());
			return "dev.recycling.testapp.TestApplication";
		}
		catch (ClassNotFoundException ex) {
			return "dev.recycling.reactiveapp.ReactiveTestApplication";
		}
	}

	/**
	 * Start an application of this classpath in a child JVM on a random port.
	 * @param mainClass the main class
	 * @param args application arguments
	 * @return the child
	 * @throws IOException if the JVM cannot be started
	 */
	public static ChildJvm startMain(String mainClass, String... args) throws IOException {
		return startMain(List.of("-Xmx256m"), mainClass, args);
	}

	/**
	 * Start an application of this classpath in a child JVM with the given JVM options, on
	 * a random port.
	 * @param jvmOptions options of the JVM, such as {@code -Xmx96m}
	 * @param mainClass the main class
	 * @param args application arguments
	 * @return the child
	 * @throws IOException if the JVM cannot be started
	 */
	public static ChildJvm startMain(List<String> jvmOptions, String mainClass, String... args) throws IOException {
		return startMain(Map.of(), jvmOptions, mainClass, args);
	}

	/**
	 * Start an application of this classpath in a child JVM with environment variables of
	 * its own and the given JVM options, on a random port.
	 * @param environment variables added to this JVM's environment
	 * @param jvmOptions options of the JVM, such as {@code -Xmx96m}
	 * @param mainClass the main class
	 * @param args application arguments
	 * @return the child
	 * @throws IOException if the JVM cannot be started
	 */
	public static ChildJvm startMain(Map<String, String> environment, List<String> jvmOptions, String mainClass,
			String... args) throws IOException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(mainClass);
		command.add("--server.port=0");
		command.add("--spring.main.banner-mode=off");
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().putAll(environment);
		Process process = builder.start();
		return new ChildJvm(process);
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(line);
				Matcher matcher = PORT.matcher(line);
				if (matcher.find()) {
					this.port.complete(Integer.parseInt(matcher.group(1)));
				}
			}
		}
		catch (IOException ex) {
			// the child is gone
		}
	}

	/**
	 * Wait until the child's web server listens and return its port.
	 * @return the port
	 * @throws Exception if the child does not start in time
	 */
	public int awaitPort() throws Exception {
		return this.port.get(60, TimeUnit.SECONDS);
	}

	/**
	 * Wait for the child to exit by itself.
	 * @param timeout the longest wait
	 * @return its exit status
	 */
	public int awaitExit(Duration timeout) {
		await().atMost(timeout).until(() -> !this.process.isAlive());
		try {
			// the child is gone; read what it printed last
			this.reader.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return this.process.exitValue();
	}

	/**
	 * Send SIGTERM, as Kubernetes does. Not {@link Process#destroy()}: it would also close
	 * the child's output, and what the child prints while it shuts down matters.
	 * @throws Exception if {@code kill} fails
	 */
	public void sigterm() throws Exception {
		Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(this.process.pid())).start();
		if (kill.waitFor() != 0) {
			throw new IllegalStateException("kill -TERM " + this.process.pid() + " failed");
		}
	}

	/**
	 * Return the process.
	 * @return the process
	 */
	public Process process() {
		return this.process;
	}

	/**
	 * Return what the child printed so far.
	 * @return its output
	 */
	public String output() {
		return String.join("\n", this.output);
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
	}

}
