package dev.recycling.restart.tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.recycling.testapp.ChildJvm;
import dev.recycling.testapp.TestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's base directory, which every generation shares, is deleted, with its content,
 * when the JVM exits: runs of an application do not pile up directories in the temporary
 * directory.
 */
class SharedDirectoryTests {

	@TempDir
	Path temporary;

	@Test
	void theSharedBaseDirectoryIsGoneAfterTheJvmExits() throws Exception {
		try (ChildJvm child = ChildJvm.startMain(List.of("-Xmx256m", "-Djava.io.tmpdir=" + this.temporary),
				TestApplication.class.getName())) {
			child.awaitPort();
			assertThat(sharedDirectories()).as("while it runs").hasSize(1);
			assertThat(sharedDirectories().get(0).toFile().list()).as("Tomcat wrote into it").isNotEmpty();
			child.sigterm();
			assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.output()).isIn(0, 143);
		}
		assertThat(sharedDirectories()).isEmpty();
	}

	private List<Path> sharedDirectories() throws Exception {
		try (Stream<Path> files = Files.list(this.temporary)) {
			return files.filter((file) -> file.getFileName().toString().startsWith("recycling-")).toList();
		}
	}

}
