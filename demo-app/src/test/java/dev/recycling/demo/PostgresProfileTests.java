package dev.recycling.demo;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.recycling.analytics.testsupport.PostgresServer;
import dev.recycling.analytics.testsupport.PostgresServer.PostgresDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the {@code postgres} profile runs the demo on a real PostgreSQL, with the
 * connection given the way users give it ({@code spring.datasource.*}).
 */
@SpringBootTest
@ActiveProfiles("postgres")
class PostgresProfileTests {

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		PostgresDatabase database = PostgresServer.shared().createDatabase();
		registry.add("spring.datasource.url", database::jdbcUrl);
		registry.add("spring.datasource.username", database::username);
	}

	@Autowired
	private DataSource dataSource;

	@Test
	void postgresProfileConnectsToPostgres() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
		}
	}

}
