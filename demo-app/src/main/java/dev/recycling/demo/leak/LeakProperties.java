package dev.recycling.demo.leak;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The demo's deliberate leak.
 *
 * @author recycling team
 */
@ConfigurationProperties("demo.leak")
public class LeakProperties implements InitializingBean {

	private static final int MAX_BYTES_PER_REQUEST = 10 * 1024 * 1024;

	private static final int MAX_STATIC_BYTES_PER_GENERATION = 64 * 1024 * 1024;

	/**
	 * Bytes a demo bean retains for every API request, to show leak diagnosis; 0 (the
	 * default) leaks nothing.
	 */
	private int bytesPerRequest;

	/**
	 * Bytes every generation adds to a static list as it starts, to show memory that
	 * survives recycles (a context restart cannot free it); 0 (the default) leaks nothing.
	 */
	private int staticBytesPerGeneration;

	public int getBytesPerRequest() {
		return this.bytesPerRequest;
	}

	public void setBytesPerRequest(int bytesPerRequest) {
		this.bytesPerRequest = bytesPerRequest;
	}

	public int getStaticBytesPerGeneration() {
		return this.staticBytesPerGeneration;
	}

	public void setStaticBytesPerGeneration(int staticBytesPerGeneration) {
		this.staticBytesPerGeneration = staticBytesPerGeneration;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.staticBytesPerGeneration < 0 || this.staticBytesPerGeneration > MAX_STATIC_BYTES_PER_GENERATION) {
			throw new InvalidConfigurationPropertyValueException("demo.leak.static-bytes-per-generation",
					this.staticBytesPerGeneration, "It must be between 0 (no leak) and "
							+ MAX_STATIC_BYTES_PER_GENERATION + " bytes, such as 2097152.");
		}
		if (this.bytesPerRequest < 0 || this.bytesPerRequest > MAX_BYTES_PER_REQUEST) {
			throw new InvalidConfigurationPropertyValueException("demo.leak.bytes-per-request", this.bytesPerRequest,
					"It must be between 0 (no leak) and " + MAX_BYTES_PER_REQUEST + " bytes, such as 65536.");
		}
	}

}
