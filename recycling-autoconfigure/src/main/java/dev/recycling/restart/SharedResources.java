package dev.recycling.restart;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.util.FileSystemUtils;

/**
 * What outlives every generation and is shared by them: the listening sockets held across
 * restarts, objects that carry state from one generation to the next (the counts behind a
 * metric), and temporary directories.
 * <p>
 * Nothing in here may hold an object of a generation: it would keep that generation's
 * context alive after it closed.
 *
 * @author recycling team
 */
final class SharedResources {

	private final HeldServerSockets heldSockets = new HeldServerSockets();

	private final Map<Class<?>, Object> objects = new ConcurrentHashMap<>();

	private final Map<String, File> directories = new ConcurrentHashMap<>();

	HeldServerSockets heldSockets() {
		return this.heldSockets;
	}

	<T> T object(Class<T> type, Supplier<? extends T> factory) {
		return type.cast(this.objects.computeIfAbsent(type, (key) -> factory.get()));
	}

	File directory(String name) {
		return this.directories.computeIfAbsent(name, (key) -> {
			try {
				File directory = Files.createTempDirectory("recycling-" + key + "-").toFile();
				// a thread of its own that knows only the path: it keeps no generation alive
				Path path = directory.toPath();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(path), "recycling-delete-" + key));
				return directory;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not create a temporary directory for " + key, ex);
			}
		});
	}

	private static void deleteQuietly(Path directory) {
		try {
			FileSystemUtils.deleteRecursively(directory);
		}
		catch (IOException ex) {
			// the JVM is exiting: a directory left in the temporary directory is all that is lost
		}
	}

}
