package dev.recycling.demo.flags;

import java.time.Duration;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the demo's API.
 */
@ConfigurationProperties("demo.api")
public class ApiProperties implements InitializingBean {

	/**
	 * Largest body of a feature-evaluation report; a larger one is answered 413.
	 */
	private DataSize maxBodySize = DataSize.ofKilobytes(64);

	/**
	 * Longest a query of the usage API may run before it is cancelled and answered 503.
	 * Getting a connection is bounded by spring.datasource.hikari.connection-timeout.
	 */
	private Duration readTimeout = Duration.ofSeconds(2);

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.maxBodySize.toBytes() < 2 || this.maxBodySize.toBytes() > Integer.MAX_VALUE - 1) {
			throw new InvalidConfigurationPropertyValueException("demo.api.max-body-size", this.maxBodySize,
					"It must be a size from 2B to 2GB, such as 64KB.");
		}
		if (this.readTimeout.isNegative() || this.readTimeout.isZero()) {
			throw new InvalidConfigurationPropertyValueException("demo.api.read-timeout", this.readTimeout,
					"It must be a positive duration such as 2s.");
		}
	}

}
