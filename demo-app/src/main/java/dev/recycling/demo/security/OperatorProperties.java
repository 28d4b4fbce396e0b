package dev.recycling.demo.security;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The operator allowed to use the actuator's write operations (recycle, flush). There is
 * no default password: without {@code demo.operator.password} every write is refused.
 *
 * @author recycling team
 */
@ConfigurationProperties("demo.operator")
public class OperatorProperties implements InitializingBean {

	/**
	 * Role an operator needs for actuator write operations.
	 */
	public static final String ROLE = "OPERATOR";

	/**
	 * Name of the operator, for HTTP basic authentication.
	 */
	private String username = "operator";

	/**
	 * Password of the operator, plain or encoded with an id prefix such as {bcrypt}. Unset
	 * means no operator: actuator writes are refused. Set it from a secret (environment
	 * variable DEMO_OPERATOR_PASSWORD), not in a file under version control.
	 */
	private @Nullable String password;

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.username.isBlank()) {
			throw new InvalidConfigurationPropertyValueException("demo.operator.username", this.username,
					"It must not be blank.");
		}
		if (this.password != null && !this.password.isEmpty() && this.password.length() < 12
				&& !this.password.startsWith("{")) {
			// the value itself is a secret: never echo it
			throw new InvalidConfigurationPropertyValueException("demo.operator.password", "(hidden)",
					"It must be at least 12 characters long, or an encoded password such as {bcrypt}...");
		}
	}

}
